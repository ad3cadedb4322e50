"""Prepared statements for the few fixed-shape reads that the public hits hardest (证书核验).

Django sends every ORM query with its values inlined (psycopg's client-side binding), so
PostgreSQL plans it anew each time. For the verification query, when it joined seven tables,
planning cost about ten times what running it did (0.45 ms against 0.04 ms); it now reads one
table (``certificates/models_verification.py``), and a QR scan is still nothing but that query. :func:`prepared_cursor` gives a cursor that binds on
the server instead: psycopg prepares a statement once it has run ``prepare_threshold`` times
on a connection (settings: ``OPTIONS["prepare_threshold"]``; the pool keeps connections, so
the statement lives as long as its connection), and PostgreSQL then reuses its plan.

Only SQL written for it should go through this cursor (Django's compiled SQL is not always
valid with server-side parameters). Client-side cursors are never prepared, so the setting
changes nothing for the rest of the ORM. On SQLite this is the ordinary cursor.
"""

from __future__ import annotations

from django.db import connections
from django.db.backends.utils import CursorWrapper


def prepared_cursor(alias: str) -> CursorWrapper:
    """A cursor on ``alias`` whose statements PostgreSQL may prepare; use it as a context
    manager, like ``connection.cursor()``. Logged like any other query (DEBUG, tests)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = ServerBindingCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)
