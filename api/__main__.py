"""./daftari api: the REST API with uvicorn on API_HOST:API_PORT (127.0.0.1:8502 by default)."""

import os

# Reads are not cached in this process unless DAFTARI_CACHE_TTL says so: the app's pages write in other
# processes, whose writes clear only their own caches, and an API client expects to read what was just saved.
os.environ.setdefault("DAFTARI_CACHE_TTL", "0")

import copy  # noqa: E402

import uvicorn  # noqa: E402
import uvicorn.config  # noqa: E402

import db  # noqa: F401  (first: the driver's C extension loads only before hashlib/pandas are imported)
from api.app import create_app  # noqa: E402
from db import startup  # noqa: E402


def main() -> None:
    """Bring the schema up to date (starting the private server if it is ours), then serve."""
    startup.ensure_schema()
    host = os.environ.get("API_HOST", "127.0.0.1")
    port = int(os.environ.get("API_PORT", "8502"))
    level = os.environ.get("API_LOG_LEVEL", "info")
    uvicorn.run(create_app(), host=host, port=port, log_level=level, log_config=_log_config())


def _log_config() -> dict:
    """uvicorn's logging with the time in front of every line: an operator matching a client's error to the
    server's side, or a request to a database event, needs to know when it was."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    for formatter in config["formatters"].values():
        formatter["fmt"] = "%(asctime)s " + formatter["fmt"]
    config["loggers"]["daftari"] = {"handlers": ["default"], "level": "INFO", "propagate": False}  # ours, timed too
    return config


if __name__ == "__main__":
    main()
