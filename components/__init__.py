"""Reusable Streamlit pieces: they take data frames and plain values and know nothing of SQL."""
