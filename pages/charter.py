"""Placeholder."""
import streamlit as st

st.title("charter")
st.info("This page is being built.")
