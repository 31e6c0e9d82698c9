"""Gunicorn settings for `make serve` (production): `gunicorn -c gunicorn.conf.py wsgi:app`.

Environment: WEB_CONCURRENCY (worker processes, default 2 per CPU core), WEB_THREADS (threads
per worker, default 4), GUNICORN_CMD_ARGS for anything else (e.g. "--access-logfile -").
Workers keep no state of their own (signed session cookies, everything else in the database),
so any number of them, on any number of hosts, serve the same event.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count())
# Threaded workers keep browsers' connections alive and overlap a request's database waits
# with another's Python work; a background job thread (matching, scheduling without Redis)
# does not stop the worker's heartbeat.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or 4)
keepalive = 5  # seconds an idle keep-alive connection stays open
timeout = 60
graceful_timeout = 30
# The app is built in each worker, after the fork: no database connection is ever shared
# between processes.
preload_app = False
errorlog = "-"
# Each worker keeps the page cache's versions in memory, told of every write by PostgreSQL
# (matchmaker/pagecache.py): a cached page costs no query.
os.environ.setdefault("PAGE_CACHE_LISTEN", "1")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")


def when_ready(server):
    storage = os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL", "")
    if server.cfg.workers > 1 and not storage.startswith(("redis://", "rediss://")):
        server.log.warning(
            "Rate limits are counted in memory, per worker (%d workers): set "
            "RATELIMIT_STORAGE_URI=redis://host:6379 to share one count.",
            server.cfg.workers,
        )


def _without_server_header():
    """Gunicorn writes `Server: gunicorn/<version>` on every answer and has no setting for it:
    drop the line, so the answers do not name the software and its version."""
    from gunicorn.http import wsgi

    default_headers = wsgi.Response.default_headers

    def headers(self):
        return [h for h in default_headers(self) if not h.lower().startswith("server:")]

    wsgi.Response.default_headers = headers


_without_server_header()
