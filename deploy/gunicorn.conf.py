"""Gunicorn settings for PIAK, shared by the systemd unit and `make serve` (piak/deploy_stack.py).

gthread workers: Django's views are synchronous and spend their time in the database, WeasyPrint and the
signer; a few processes with threads each give concurrency without an event loop, and a stuck request
blocks one thread, not the server. Every value can be changed in the environment file."""

import os

bind = os.environ.get("PIAK_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PIAK_WORKERS", str(min(2 * (os.cpu_count() or 1) + 1, 8))))
worker_class = "gthread"
threads = int(os.environ.get("PIAK_THREADS", "4"))
# Signing a letter and rendering a city-wide report take seconds, never minutes.
timeout = int(os.environ.get("PIAK_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak in a C library (PDF, DuckDB) never grows unbounded.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("PIAK_GUNICORN_LOGLEVEL", "info")
wsgi_app = "piak.wsgi:application"
