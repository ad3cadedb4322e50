"""Password hashing: Argon2id with the parameters OWASP's Password Storage Cheat Sheet gives as
its first minimum (m = 19 MiB, t = 2, p = 1).

Django's own Argon2 defaults (100 MiB, 8 lanes) cost about half a second of CPU per login on a
2-core server: on the last day of an application window a few logins a second would take every
core. These parameters keep Argon2id's memory-hardness against GPU cracking at a few tens of
milliseconds. The algorithm name stays ``argon2``, so hashes made with other parameters still
verify and are re-hashed with these at the next successful login (``must_update``)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
