"""Benchmarks of `make bench` (``python -m bench``): each result is a ratio to a raw floor
measured in the same run, on a throwaway SQLite file and a throwaway PostgreSQL database."""
