"""API tokens (issue 12: being built)."""

from ui import session

actor = session.page("API tokens")
