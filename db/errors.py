"""Errors whose message is meant for the person using the app, and the driver's errors turned into them."""

from __future__ import annotations

import mysql.connector
from mysql.connector.errors import get_mysql_exception

from i18n import N_, signals, t

try:  # the C extension raises its own class where the connector does not wrap it (nextset, rollback)
    from _mysql_connector import MySQLInterfaceError
except ImportError:  # pure Python: the connector's own classes only
    MySQLInterfaceError = mysql.connector.Error

DRIVER_ERRORS = (mysql.connector.Error, MySQLInterfaceError)

DEADLOCK, LOCK_WAIT_TIMEOUT = 1213, 1205  # a transaction may be tried again
RETRYABLE = {DEADLOCK, LOCK_WAIT_TIMEOUT}
# The server cannot be reached, went away, was killed or shut down, or refused us: can't connect (2002, 2003),
# unknown host (2005), gone away (2006), lost during a query (2013), lost (2055), connection killed (1927),
# shutdown in progress (1053), disconnected for inactivity (4031), access denied (1045), no database (1049),
# too many connections (1040, 1203), and a Galera node that is not ready to serve ("WSREP has not yet prepared
# node for application use", 1047: catching up, a donor, or cut off from the cluster; issue 13).
GONE = {2002, 2003, 2005, 2006, 2013, 2055, 1927, 1053, 4031, 1045, 1049, 1040, 1203, 1047}
NOT_CONNECTED = -1  # the connector's own "MySQL Connection not available" (a failed pooled reconnect, too)
STATEMENT_TIMEOUT = {1969, 3024}  # the server stopped a statement: MariaDB max_statement_time, MySQL's
# The sentences are English constants (marked N_): each is translated where it is raised, in the reader's language.
UNREACHABLE = N_("The database cannot be reached right now. Nothing was saved; please try again in a moment.")
# The connection was lost after COMMIT was sent: the server may have written it or not, and saying "nothing was
# saved" would be a guess (entering it again could record it twice).
UNSURE = N_(
    "The database stopped answering while this was being saved, so it may or may not have been saved. "
    "Please look for it in the list before entering it again."
)
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


class MaybeSaved(DatabaseUnavailable):
    """The connection was lost after COMMIT was sent: the write may or may not have been applied."""


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
    errno = getattr(exc, "errno", None)
    if not errno:  # no server error number: the connection itself failed
        return mysql.connector.errors.InterfaceError(msg=getattr(exc, "msg", None) or str(exc), errno=NOT_CONNECTED)
    return get_mysql_exception(errno, getattr(exc, "msg", str(exc)), getattr(exc, "sqlstate", None))


def unavailable() -> DatabaseUnavailable:
    """The one sentence for every shape of outage."""
    return DatabaseUnavailable(t(UNREACHABLE))


def unsure() -> MaybeSaved:
    """The sentence for a COMMIT that was sent and not answered (tell it by its class: its text is translated)."""
    return MaybeSaved(t(UNSURE))


def timed_out(exc: BaseException) -> bool:
    """The client gave up waiting on a server that does not answer (read, write or connect timeout)."""
    errors = mysql.connector.errors
    return isinstance(exc, (errors.ReadTimeoutError, errors.WriteTimeoutError, errors.ConnectionTimeoutError))


def translate(exc: mysql.connector.Error) -> Exception:
    """A connector error as a sentence for the user, or the error itself if it is a bug."""
    exc = as_connector_error(exc)
    if timed_out(exc):  # the client gave up waiting: the server hangs (the connector reuses errno 3024 here)
        return unavailable()
    if exc.errno in GONE or exc.errno == NOT_CONNECTED:
        return unavailable()
    if exc.errno is None and isinstance(exc, mysql.connector.errors.InterfaceError):
        return unavailable()
    if exc.errno in STATEMENT_TIMEOUT:
        return DatabaseBusy(t("That took too long and was stopped. Nothing was saved; please try again in a moment."))
    if exc.errno in RETRYABLE:  # still locked out after every retry
        return DatabaseBusy(t("Daftari is busy right now. Nothing was saved; please try again in a moment."))
    if exc.errno == SIGNAL:  # a trigger's sentence, in the language of the person served (i18n/signals.py)
        return InvalidInput(signals.sentence(exc.msg))
    if exc.errno in CHECK_FAILED:
        return InvalidInput(
            t(
                "That entry breaks a rule of the book (amounts must be positive and "
                "payments cannot exceed what is owed). Nothing was saved."
            )
        )
    return exc


def is_outage(exc: BaseException) -> bool:
    """True for an error that says the connection is no longer usable (it is then closed, not pooled)."""
    if isinstance(exc, DatabaseUnavailable):
        return True
    if isinstance(exc, DRIVER_ERRORS):
        return isinstance(translate(as_connector_error(exc)), DatabaseUnavailable)
    return False


def raise_translated(exc: mysql.connector.Error) -> None:
    """Raise the user's sentence for a connector error (chained to it), or the error itself."""
    translated = translate(exc)
    if translated is exc:
        raise exc
    raise translated from exc
