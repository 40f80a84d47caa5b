"""Placeholder."""
import streamlit as st

st.title("pricing")
st.info("This page is being built.")
