"""M-Pesa (issue 12: being built)."""

from ui import session

actor = session.page("M-Pesa", roles=("owner",))
