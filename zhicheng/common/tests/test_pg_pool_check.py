"""The pooled PostgreSQL connections are checked before they are lent without a round trip
(common/postgresql): a healthy connection costs no query, and one whose server has gone away
is replaced, so the request that borrows it does not fail."""

import time
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from psycopg_pool import ConnectionPool

from zhicheng.common.postgresql.base import check_pooled_connection

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="needs PostgreSQL (DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _terminate(pid: int) -> None:
    """Ends backend ``pid`` from the test's own connection, as a server restart would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone() is None:
                return
            time.sleep(0.05)
    pytest.fail(f"backend {pid} did not end")


def test_the_project_pool_uses_the_check_without_a_round_trip():
    connection.ensure_connection()
    assert connection.pool._check is check_pooled_connection


def test_a_healthy_connection_is_lent_without_a_query():
    _backend_pid()
    connection.close()  # back to the pool
    with mock.patch.object(
        ConnectionPool, "check_connection", wraps=ConnectionPool.check_connection
    ) as round_trip:
        for _ in range(5):
            _backend_pid()
            connection.close()
    assert round_trip.call_count == 0


def test_a_connection_whose_backend_was_terminated_is_replaced():
    # A pool of one connection with the project's check: the one lent next is the dead one.
    params = connection.get_connection_params()
    kwargs = {k: params[k] for k in ("dbname", "user", "password", "host", "port") if k in params}
    with ConnectionPool(
        kwargs=kwargs, min_size=1, max_size=1, check=check_pooled_connection, open=True
    ) as pool:
        with pool.connection() as conn:
            pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        _terminate(pid)
        # The same request as before the "restart" succeeds, on a new backend.
        with (
            mock.patch.object(
                ConnectionPool, "check_connection", wraps=ConnectionPool.check_connection
            ) as round_trip,
            pool.connection() as conn,
        ):
            assert conn.execute("SELECT pg_backend_pid()").fetchone()[0] != pid
        assert round_trip.call_count == 1
