"""Placeholder."""
import streamlit as st

st.title("complaints")
st.info("This page is being built.")
