"""Daftari's REST API (./daftari api): a thin FastAPI skin over the shop's rules in duka/, as pages/ is a thin
Streamlit skin; the same roles and tenancy, no second copy of any rule."""
