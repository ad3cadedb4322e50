"""Django settings of a benchmark process: the project's own settings (the database comes from
``DATABASE_URL`` / ``ZHICHENG_VAR_DIR``, set by ``bench.worker`` before ``django.setup()``), run
as in production: DEBUG off, so no per-query debug logging skews the timings."""

import os

from zhicheng.settings import *  # noqa: F403

DEBUG = False
# Users are created once per run; the production hasher would only slow the set-up. The
# surge's server keeps it: there, logging in is part of what is measured.
if os.environ.get("ZHICHENG_BENCH_PRODUCTION_HASHER") != "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
