"""Placeholder."""
import streamlit as st

st.title("compliance")
st.info("This page is being built.")
