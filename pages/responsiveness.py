"""Placeholder."""
import streamlit as st

st.title("responsiveness")
st.info("This page is being built.")
