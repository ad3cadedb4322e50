"""Running service calls at the same moment, for the row-lock tests on PostgreSQL."""

import threading

from django.db import connection

from zhicheng.common.errors import ApplicationError


def run_together(*calls):
    """Start the calls at the same moment in separate threads (own connections); return
    "ok" or the refusal message of each."""
    barrier = threading.Barrier(len(calls))
    results: list[str | None] = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            call()
            results[index] = "ok"
        except ApplicationError as exc:
            results[index] = exc.message
        except Exception as exc:  # anything else is a failure the assertion shows
            results[index] = f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
