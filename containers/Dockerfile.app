# Daftari's app: Debian's Python 3.11 and the project with its pinned dependencies (requirements.txt).
# Built by containers/stack.py from a copy of the working tree's files that git does not ignore (no .venv, no
# .data), with the host's CA bundle as host-ca.crt: pip verifies PyPI with it (the network may re-sign TLS).
# The same image serves the API later: run it with another command (python -m api …).
FROM local/debian:12
# fonts-dejavu-core: a Unicode font for the customer statements' PDFs.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 python3-venv ca-certificates fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --shell /usr/sbin/nologin daftari
COPY host-ca.crt /etc/ssl/certs/host-ca.crt
ENV PIP_CERT=/etc/ssl/certs/host-ca.crt PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1
WORKDIR /app
# The dependencies first, from pyproject.toml alone: a change to the code does not download them again.
COPY pyproject.toml ./
RUN python3 -m venv /opt/venv \
 && python3 -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/pinned.txt \
 && pip install -r /tmp/pinned.txt
COPY . ./
RUN pip install -r requirements.txt && python -m compileall -q db duka ui api pages app.py
USER daftari
EXPOSE 8501
ENTRYPOINT ["containers/app-start.sh"]
