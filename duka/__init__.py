"""The shop's rules ("duka" is Swahili for shop): plain functions that decide what may be recorded and what a
figure means. They read and write through `db` and never import the driver or Streamlit."""
