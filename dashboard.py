"""News Coverage Analytics dashboard (Streamlit). Run with `make run`."""

import streamlit as st

st.set_page_config(page_title="News Coverage Analytics", layout="wide")
st.title("News Coverage Analytics")
