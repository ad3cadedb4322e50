"""gunicorn settings for ``make serve`` (production). Every value can be overridden by its
environment variable; see the README's "Serving in production".

Worker class gthread: a request that waits on PostgreSQL or on an upload's disk write leaves
its process's other threads serving, which sync workers cannot do; the GIL is not the limit
for this I/O-bound site. Processes = 2 × cores + 1 as gunicorn advises, 4 threads each.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
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
