"""List pages measured whole through Django's test client with a logged-in session (the
applications and the certificate-lists benchmarks): each case a page and its query, the
officers' clients warmed up once, then ``passes`` shuffled passes over the cases. The floor of
each request is the SQL it sent on the listed tables (``floor_tables``), replayed through
psycopg's own cursor: what the database alone needs for the same page."""

from __future__ import annotations

import random
import time


def measure_list_pages(
    officers: dict,
    cases: list[tuple[str, str, str, dict]],
    *,
    floor_tables: tuple[str, ...],
    passes: int,
    seed: int = 5,
) -> dict:
    """``cases``: (kind, officer key, path, query). Returns the samples per kind and per
    ``floor_<kind>`` (ms), the slowest time of each case and the number of cases."""
    from django.db import connection
    from django.test import Client

    clients = {}
    for key, officer in officers.items():
        clients[key] = Client()
        clients[key].force_login(officer)
    raw = connection.connection
    for _, key, path, query in cases:  # warm up: plans, buffers, the officers' cached roles
        response = clients[key].get(path, query)
        if response.status_code != 200:
            raise RuntimeError(f"{path} {query} answered {response.status_code} for {key}")
    kinds = {kind for kind, *_ in cases}
    samples: dict[str, list[float]] = {k: [] for kind in kinds for k in (kind, f"floor_{kind}")}
    worst: dict[str, float] = {}
    quoted = tuple(f'"{table}"' for table in floor_tables)
    rng = random.Random(seed)
    cases = list(cases)
    for _ in range(passes):
        rng.shuffle(cases)
        for kind, key, path, query in cases:
            statements: list[tuple[str, tuple]] = []

            def capture(execute, sql, params, many, context, statements=statements):
                statements.append((sql, params))
                return execute(sql, params, many, context)

            with connection.execute_wrapper(capture):
                t = time.perf_counter()
                response = clients[key].get(path, query)
                elapsed = (time.perf_counter() - t) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{path} {query} answered {response.status_code} for {key}")
            samples[kind].append(elapsed)
            label = f"{key} {path}?{'&'.join(f'{k}={v}' for k, v in query.items())}"
            worst[label] = max(worst.get(label, 0.0), elapsed)
            t = time.perf_counter()
            for sql, params in statements:
                if not any(table in sql for table in quoted) or "UPDATE" in sql[:10]:
                    continue
                cur = raw.cursor()
                cur.execute(sql, params)
                cur.fetchall()
                cur.close()
            samples[f"floor_{kind}"].append((time.perf_counter() - t) * 1000)
    return {"samples": samples, "worst": worst, "cases": len(cases)}
