"""./daftari api: the REST API with uvicorn on API_HOST:API_PORT (127.0.0.1:8502 by default)."""

import os

# Reads are not cached in this process unless DAFTARI_CACHE_TTL says so: the app's pages write in other
# processes, whose writes clear only their own caches, and an API client expects to read what was just saved.
os.environ.setdefault("DAFTARI_CACHE_TTL", "0")

import uvicorn  # noqa: E402

import db  # noqa: F401  (first: the driver's C extension loads only before hashlib/pandas are imported)
from api.app import create_app  # noqa: E402
from db import startup  # noqa: E402


def main() -> None:
    """Bring the schema up to date (starting the private server if it is ours), then serve."""
    startup.ensure_schema()
    host = os.environ.get("API_HOST", "127.0.0.1")
    port = int(os.environ.get("API_PORT", "8502"))
    # An idle connection is kept 75 s, longer than clients keep theirs (httpx 5 s, browsers about 60 s): with
    # uvicorn's 5 s a client reusing a connection at the moment the server closed it got "connection reset by
    # peer" (the API test of 16 requests in two languages, twice in full runs on a freshly made cluster, where it
    # lasts over 5 s). The client closes first, so that race cannot happen.
    uvicorn.run(
        create_app(),
        host=host,
        port=port,
        log_level=os.environ.get("API_LOG_LEVEL", "info"),
        timeout_keep_alive=75,
    )


if __name__ == "__main__":
    main()
