"""Errors whose message is meant for the person using the app, and the driver's errors turned into them."""

from __future__ import annotations

import mysql.connector
from mysql.connector.errors import get_mysql_exception

try:  # the C extension raises its own class where the connector does not wrap it (nextset, rollback)
    from _mysql_connector import MySQLInterfaceError
except ImportError:  # pure Python: the connector's own classes only
    MySQLInterfaceError = mysql.connector.Error

DRIVER_ERRORS = (mysql.connector.Error, MySQLInterfaceError)

DEADLOCK, LOCK_WAIT_TIMEOUT = 1213, 1205  # a transaction may be tried again
RETRYABLE = {DEADLOCK, LOCK_WAIT_TIMEOUT}
GONE = {2002, 2003, 2005, 2006, 2013, 2055, 1045, 1049}  # the server cannot be reached or refused us
SIGNAL = 1644  # SIGNAL SQLSTATE '45000' from our triggers
CHECK_FAILED = {4025, 3819}  # CHECK constraint failed: MariaDB, MySQL
DUPLICATE_KEY = 1062
ROW_IS_REFERENCED = 1451  # a foreign key keeps the row: other rows still point at it


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


class DuplicateKey(Exception):
    """A unique key refused a row (error 1062); the rule that wrote it says which value, in a sentence."""


class StillReferenced(Exception):
    """A row cannot go while other rows point at it (error 1451); the rule that tried says what to do."""


class MigrationError(DaftariError):
    """The schema could not be brought up to date."""


def as_connector_error(exc: BaseException) -> mysql.connector.Error:
    """The C extension's bare error as the connector's own class (with errno and msg), others unchanged."""
    if isinstance(exc, mysql.connector.Error):
        return exc
    return get_mysql_exception(
        getattr(exc, "errno", None), getattr(exc, "msg", str(exc)), getattr(exc, "sqlstate", None)
    )


def translate(exc: mysql.connector.Error) -> Exception:
    """A connector error as a sentence for the user, or the error itself if it is a bug."""
    if exc.errno in GONE or isinstance(exc, mysql.connector.errors.InterfaceError) and exc.errno is None:
        return DatabaseUnavailable(
            "The database cannot be reached right now. Nothing was saved; please try again in a moment."
        )
    if exc.errno in RETRYABLE:  # still locked out after every retry
        return DatabaseBusy("Daftari is busy right now. Nothing was saved; please try again in a moment.")
    if exc.errno == SIGNAL:
        return InvalidInput(exc.msg)
    if exc.errno in CHECK_FAILED:
        return InvalidInput(
            "That entry breaks a rule of the book (amounts must be positive and "
            "payments cannot exceed what is owed). Nothing was saved."
        )
    return exc


def raise_translated(exc: mysql.connector.Error) -> None:
    """Raise the user's sentence for a connector error (chained to it), or the error itself."""
    translated = translate(exc)
    if translated is exc:
        raise exc
    raise translated from exc
