#!/bin/sh
# The app container's start: bring the schema up to date with the admin account (python -m db upgrade), then
# Streamlit in the foreground. The upgrade is tried again for up to 5 minutes: the cluster may still be forming
# (node 1 is the donor of the first state transfers, and HAProxy sends nothing to a donor).
set -eu
deadline=$(($(date +%s) + 300))
until python -m db upgrade; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "app-start: the schema could not be brought up to date in 5 minutes" >&2
    exit 1
  fi
  sleep 3
done
exec streamlit run app.py --server.address=0.0.0.0 --server.port=8501 --server.headless=true \
  --browser.gatherUsageStats=false
