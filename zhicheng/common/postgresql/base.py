"""Django's PostgreSQL backend (settings: ``ENGINE = "zhicheng.common.postgresql"``) whose
connection pool checks a connection before lending it without a round trip to the server.

Django lends pooled connections checked by psycopg's ``check_connection`` when
``CONN_HEALTH_CHECKS`` is on: an empty query, one more round trip on every request, about 5 %
of a small request's CPU (a public 证书核验, /healthz) and as many extra statements on the
server. Django offers no setting for another check, hence this backend.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool


def check_pooled_connection(conn) -> None:
    """Raise for a connection its server has closed, so that the pool replaces it and a
    restarted server fails no request.

    An idle connection receives nothing unless its server is going away: a backend that is
    terminated (a server restart, ``pg_terminate_backend``, an idle timeout) sends its error
    and closes the socket, which then polls readable. Only then is psycopg's round trip made;
    it raises on a dead connection and the pool discards it. A connection psycopg already
    knows to be closed raises at once."""
    if conn.closed or conn.broken:
        raise ConnectionError("the pooled connection is closed")
    poller = select.poll()
    poller.register(conn.fileno(), select.POLLIN | select.POLLPRI)
    if poller.poll(0):
        ConnectionPool.check_connection(conn)


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self):
        pool = super().pool
        # Django builds the pool with psycopg's check (CONN_HEALTH_CHECKS); the check is kept
        # as the pool's ``_check`` (psycopg_pool 3.2+; test_pg_pool_check.py would fail if that
        # changed).
        if pool is not None and pool._check is ConnectionPool.check_connection:
            pool._check = check_pooled_connection
        return pool
