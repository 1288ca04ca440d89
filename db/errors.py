"""Errors whose message is meant for the person using the app."""


class DaftariError(Exception):
    """Base: str(error) is a sentence a shopkeeper can read."""


class InvalidInput(DaftariError):
    """The input cannot be saved as it is; nothing was written."""


class NotAllowed(DaftariError):
    """The user's role in this shop does not allow the action."""


class NotFound(DaftariError):
    """No such record in this shop."""


class DatabaseUnavailable(DaftariError):
    """The server cannot be reached; nothing was written."""


class DatabaseBusy(DaftariError):
    """Every connection is in use; try again."""


class MigrationError(DaftariError):
    """The schema could not be brought up to date."""
