"""gunicorn settings for ``make serve`` (production). Every value can be overridden by its
environment variable; see the README's "Serving in production".

Worker class sync, one thread: behind nginx (deploy/nginx.conf.template buffers each request
and each response), a worker never waits on a slow client, and each request is taken from the
kernel's one accept queue by the next free process. gthread was measured worse on 2 cores: its
keep-alive connections stay with the process that accepted them (16 connections spread
10/4/1/1/0 over 5 processes) and its threads, contending for the GIL, starve the PostgreSQL
backends of CPU — /healthz p99 of 20–1,280 ms against 9–12 ms with sync (BENCHMARKS.md).
Processes = cores + 1, not gunicorn's general 2 × cores + 1: a request here is CPU work with
sub-millisecond waits on PostgreSQL and Redis, which share the cores with the workers, so more
processes only add context switches and cache misses. Measured on 2 cores, 3 processes against
5 (alternating runs, BENCHMARKS.md): the deadline-day surge 222–243 against 193–194 req/s, p95
70–73 against 95–96 ms; 证书核验 (16 connections) API 1,517 against 1,274 req/s and page 1,279
against 1,111 (means of three). ``GUNICORN_WORKER_CLASS=gthread`` with ``GUNICORN_THREADS`` > 1
brings threads back, e.g. without a buffering proxy in front.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A single certificate is drawn and signed inside a request (≈ 0.1 s); batches run in Huey.
# 60 s leaves room for a 20 MB upload on a slow link behind the proxy's buffering.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# The application (zhicheng/wsgi.py: settings, apps, every URL module) is loaded once in the
# master and the workers are forked from it: they start warm and share its memory. Code changes
# need a restart, not a HUP (GUNICORN_PRELOAD=0 loads it in each worker instead).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# Recycle workers now and then so that a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# "-" is stdout; an empty value turns the access log off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# The proxy (deploy/nginx.conf) on the same host sets X-Forwarded-*; the application trusts
# X-Forwarded-For hops by ZHICHENG_PROXY_COUNT, gunicorn the scheme from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
