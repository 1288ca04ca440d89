"""Streamlit helpers shared by app.py and pages/: session, sign-in gate, sidebar, error display."""
