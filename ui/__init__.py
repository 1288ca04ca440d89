"""Streamlit helpers shared by app.py and pages/: the session gate and sidebar, the sale and payment forms, the
owner's corrections, number formats for tables and metrics, question widgets, and user text shown as typed."""
