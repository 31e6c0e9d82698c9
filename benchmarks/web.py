"""Web load benchmark: a large event on PostgreSQL, served by gunicorn, under a fixed offered
load and then at full speed.

    python -m benchmarks.web --participants 2000 --rate 100 --seconds 30
    python -m benchmarks.web --database-url postgresql://postgres@127.0.0.1:5432/mm_bench_web \\
        --workers 4 --clients 200 --max-seconds 10

1. Builds (or reuses) a `--participants` event in its own PostgreSQL database: opportunities,
   matches from the matchmaking service, interests, requests, and an agenda generated and
   published by the schedules service (benchmarks/web_data.py).
2. Starts gunicorn (gunicorn.conf.py, `--workers` processes) on a free loopback port, serving
   benchmarks/web_app.py: the production app plus `/_floor`, a bare Flask page (no template,
   no database) that is the floor the real pages are compared with.
3. Logs `--clients` participants in through the real form (GET /auth/login for the CSRF token,
   POST /auth/login), each with its own session cookie.
4. Open loop: `--rate` requests/s for `--seconds`, spread evenly over the pages (dashboard,
   event dashboard, agenda, matches, marketplace) and round-robin over the logged-in clients,
   on keep-alive connections (a new one whenever all are busy), asking for gzip as browsers
   do. Each request is due at a fixed
   time; its latency is measured from that time, not from when it was sent, so a slow server
   cannot slow the offered load down (no coordinated omission). Then the floor alone at the
   same rate. Each open loop runs on a freshly started gunicorn (warmed up by 3 s of
   unmeasured requests), so that requests an overloaded phase gave up on do not linger into
   the next.
5. Closed loop: each page, then the floor, alone at full speed (`--concurrency` requests in
   flight) for `--max-seconds`: its maximum requests/s.

With `--during-schedule` only one phase runs, twice: the mixed open loop while the organizer's
schedule job (started through the form, time limit `--seconds`) runs, first in a thread of a
web process (JOBS_BACKEND=thread), then on a job worker (`python -m matchmaker.worker`, Redis
`--redis-url`). Its JSON: {"during_schedule": {"thread"|"worker": {p50_ms, p95_ms, p99_ms,
errors, job_status, job_seconds, job_message}}, "load_average": [before, after]}; the bar is
the worker's p95 <= 100 ms with zero errors. Before each run every page is requested, once per
gunicorn worker and again, until a whole round's p95 is under 25 ms (each worker keeps its own
page cache): a site that has been serving for a while. `--timeline` prints, per second of the
load, the p95 and worst latency, the job's phase (its stage and progress), the cores used by
the web server, the worker (its forked job included), the client, PostgreSQL and everything
else, and the database's transactions (a cached page costs none: they count pages rendered
afresh, whatever else loads the machine).

The servers run with the app's page cache (matchmaker/pagecache.py) as configured, or with
`--page-cache-mb` (0: every request renders its page, the cost of a first view).

Prints one line per page and, last, one JSON document: {"pages": {page: {rps_max, p50_ms,
p95_ms, p99_ms, errors}}, "floor": {the same}}. The bar (design.md): at 100 requests/s p95 <=
100 ms on every page with zero errors; each page's rps_max >= 30 % of the floor's. The client
runs on the same machine as the server and takes CPU from it: the floor's rps_max is partly
the client's own limit.
"""

import argparse
import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import web_data
from matchmaker.config import normalise_database_url

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/matchmaker_bench_web"
TIMEOUT = 10.0  # seconds; a request slower than this counts as an error
WARM_UP = 3.0  # seconds of unmeasured requests on every freshly started server
# What a browser sends with every page request (the page cache answers gzip to it).
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}
CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


def pages_of(slug):
    """Page name -> a function of the request number giving the path."""
    return {
        "dashboard": lambda i: "/dashboard",
        "event_dashboard": lambda i: f"/events/{slug}/me",
        "agenda": lambda i: f"/events/{slug}/agenda",
        "matches": lambda i: f"/events/{slug}/matches",
        # The marketplace's first 20 pages, as people leaf through it.
        "marketplace": lambda i: f"/events/{slug}/marketplace?page={1 + i % 20}",
    }


# -- HTTP/1.1 client on asyncio streams: keep-alive, Content-Length or chunked bodies ---------


class Connection:
    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.used = False

    @classmethod
    async def open(cls, port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def request(self, method, path, headers, body=b""):
        """(status, headers with lower-case names, body); raises on a broken connection."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port_hint}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        self.used = True
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        response_headers = {}
        cookies = []
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                name = name.strip().lower()
                if name == "set-cookie":
                    cookies.append(value.strip())
                response_headers[name] = value.strip()
        response_headers["set-cookie"] = cookies
        if "content-length" in response_headers:
            data = await self.reader.readexactly(int(response_headers["content-length"]))
        elif response_headers.get("transfer-encoding", "").lower() == "chunked":
            data = await self._chunked()
        else:
            data = await self.reader.read()
            self.close()
        if response_headers.get("connection", "").lower() == "close":
            self.close()
        return status, response_headers, data

    async def _chunked(self):
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await self.reader.readexactly(size + 2)
            if size == 0:
                return b"".join(parts)
            parts.append(chunk[:-2])

    @property
    def closed(self):
        return self.writer.is_closing()

    def close(self):
        if not self.writer.is_closing():
            self.writer.close()


class Pool:
    """Idle keep-alive connections; a new one is opened whenever none is idle."""

    def __init__(self, port):
        self.port = port
        self.idle = []

    async def request(self, method, path, headers, body=b""):
        connection = self.idle.pop() if self.idle else None
        reused = connection is not None
        if connection is None:
            connection = await Connection.open(self.port)
        connection.port_hint = self.port
        try:
            result = await connection.request(method, path, headers, body)
        except asyncio.CancelledError:  # timed out: never reuse a connection mid-response
            connection.close()
            raise
        except (ConnectionError, asyncio.IncompleteReadError):
            connection.close()
            if not reused:
                raise
            # The server closed an idle keep-alive connection: retry once on a fresh one.
            connection = await Connection.open(self.port)
            connection.port_hint = self.port
            result = await connection.request(method, path, headers, body)
        if not connection.closed:
            self.idle.append(connection)
        return result

    def close(self):
        for connection in self.idle:
            connection.close()
        self.idle = []


def _cookie(set_cookies, jar):
    for header in set_cookies:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def _cookie_header(jar):
    return "; ".join(f"{name}={value}" for name, value in jar.items())


async def login(pool, email, password):
    """A logged-in session's Cookie header, through the real login form."""
    status, headers, body = await pool.request("GET", "/auth/login", {})
    if status != 200 or not (match := CSRF.search(body)):
        raise RuntimeError(f"login page answered {status} without a CSRF token")
    jar = _cookie(headers["set-cookie"], {})
    form = urlencode(
        {"csrf_token": match.group(1).decode(), "email": email, "password": password}
    ).encode()
    status, headers, _ = await pool.request(
        "POST",
        "/auth/login",
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": _cookie_header(jar)},
        form,
    )
    if status != 302:
        raise RuntimeError(f"login of {email} answered {status}, not a redirect")
    return _cookie_header(_cookie(headers["set-cookie"], jar))


async def login_all(port, emails, password, parallel=8):
    pool = Pool(port)
    gate = asyncio.Semaphore(parallel)

    async def one(email):
        async with gate:
            return await login(pool, email, password)

    cookies = await asyncio.gather(*(one(email) for email in emails))
    pool.close()
    return cookies


# -- Load ------------------------------------------------------------------------------------


async def _timed(pool, path, cookie, due, samples, errors, page, record=None):
    loop = asyncio.get_running_loop()
    latency = None
    try:
        status, _, _ = await asyncio.wait_for(
            pool.request("GET", path, {**BROWSER, "Cookie": cookie} if cookie else BROWSER), TIMEOUT
        )
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
        errors[page] += 1
    else:
        if status != 200:
            errors[page] += 1
        else:
            latency = loop.time() - due
            samples[page].append(latency)
    if record is not None:
        record.append((due, latency))


async def open_loop(port, targets, rate, seconds, record=None):
    """`rate` requests/s for `seconds`; `targets` is a list of (page, path, cookie) taken in
    turn. Returns ({page: [latency s]}, {page: errors}). With `record` (a list), appends
    (when the request was due, on time.monotonic()'s clock, latency s or None on an error)."""
    loop = asyncio.get_running_loop()
    pool = Pool(port)
    samples = {page: [] for page, _, _ in targets}
    errors = dict.fromkeys(samples, 0)
    total = int(rate * seconds)
    start = loop.time() + 0.2
    tasks, rows = [], ([] if record is not None else None)
    for i in range(total):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        page, path, cookie = targets[i % len(targets)]
        tasks.append(
            asyncio.create_task(_timed(pool, path, cookie, due, samples, errors, page, rows))
        )
    await asyncio.gather(*tasks)
    pool.close()
    if record is not None:
        record.extend(rows)
    return samples, errors


async def closed_loop(port, paths, cookies, seconds, concurrency):
    """As many requests as `concurrency` clients can get answered in `seconds`, each sending
    its next request when the previous one is answered. Returns (requests/s, errors)."""
    loop = asyncio.get_running_loop()
    pool = Pool(port)
    deadline = loop.time() + seconds
    done = [0]
    errors = [0]
    counter = iter(range(10**9))

    async def client():
        while loop.time() < deadline:
            i = next(counter)
            cookie = cookies[i % len(cookies)] if cookies else None
            try:
                status, _, _ = await asyncio.wait_for(
                    pool.request(
                        "GET", paths(i), {**BROWSER, "Cookie": cookie} if cookie else BROWSER
                    ),
                    TIMEOUT,
                )
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                errors[0] += 1
                continue
            if status == 200:
                done[0] += 1
            else:
                errors[0] += 1

    started = loop.time()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = loop.time() - started
    pool.close()
    return done[0] / elapsed, errors[0]


async def warm_every_page(port, targets, workers, concurrency, patience=120.0, fast=0.025):
    """Request every target `workers` times over (each gunicorn worker keeps its own page
    cache) again and again until a whole round's p95 is under `fast` seconds, or `patience`
    runs out: a server that has been up for a while, not one rendering its first pages.
    Returns the rounds' p95 in ms."""
    loop = asyncio.get_running_loop()
    pool = Pool(port)
    deadline = loop.time() + patience
    rounds = []
    try:
        while loop.time() < deadline:
            work = iter(range(len(targets) * workers))
            latencies = []

            async def client(work, latencies):
                for i in work:
                    _, path, cookie = targets[i % len(targets)]
                    started = loop.time()
                    try:
                        await asyncio.wait_for(
                            pool.request("GET", path, {**BROWSER, "Cookie": cookie}), TIMEOUT
                        )
                    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                        continue
                    latencies.append(loop.time() - started)

            await asyncio.gather(*(client(work, latencies) for _ in range(concurrency)))
            rounds.append(percentile(latencies, 95))
            if rounds[-1] is not None and rounds[-1] < fast * 1000:
                break
    finally:
        pool.close()
    return rounds


def percentile(values, q):
    """Nearest-rank percentile of `values` (seconds) in milliseconds; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n q / 100)
    return round(ordered[int(rank) - 1] * 1000, 1)


def figures(latencies, errors, rps_max):
    return {
        "rps_max": round(rps_max, 1),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "errors": errors,
    }


async def drain(port, limit=0.05, patience=30.0):
    """Wait until the server answers the floor page within `limit` seconds: requests that
    an earlier phase gave up on (timeouts) may still be queued, and would slow the next."""
    loop = asyncio.get_running_loop()
    pool = Pool(port)
    deadline = loop.time() + patience
    try:
        while loop.time() < deadline:
            started = loop.time()
            try:
                await asyncio.wait_for(pool.request("GET", "/_floor", {}), patience)
            except (TimeoutError, OSError, asyncio.IncompleteReadError):
                pass
            if loop.time() - started < limit:
                return
            await asyncio.sleep(0.5)
    finally:
        pool.close()


def measure(serve, slug, cookies, args, log):
    """Every phase, each open loop on a freshly started server (`serve()`): requests that a
    client gave up on stay queued in gunicorn and would slow the next phase down."""
    pages = pages_of(slug)
    names = list(pages)
    targets = [
        (
            names[i % len(names)],
            pages[names[i % len(names)]](i // len(names)),
            cookies[i % len(cookies)],
        )
        for i in range(max(len(cookies), len(names)) * len(names))
    ]

    def mixed(i):
        return targets[i % len(targets)][1]

    def warm(server):
        # Each worker imports templates, opens its pool and prepares statements on its
        # first requests: a few seconds of every page, not measured, before each phase.
        asyncio.run(closed_loop(server.port, mixed, cookies, WARM_UP, args.concurrency))
        asyncio.run(drain(server.port))

    with serve() as server:
        warm(server)
        log(f"open loop: {args.rate:g} requests/s for {args.seconds:g} s over {len(names)} pages")
        samples, errors = asyncio.run(open_loop(server.port, targets, args.rate, args.seconds))
    with serve() as server:
        warm(server)
        log(f"open loop: floor alone, {args.rate:g} requests/s for {args.seconds:g} s")
        floor_samples, floor_errors = asyncio.run(
            open_loop(server.port, [("floor", "/_floor", None)], args.rate, args.seconds)
        )
    rps = {}
    with serve() as server:
        warm(server)
        for name in names:
            asyncio.run(drain(server.port))
            rps[name], extra = asyncio.run(
                closed_loop(server.port, pages[name], cookies, args.max_seconds, args.concurrency)
            )
            errors[name] += extra
            log(f"full speed: {name} {rps[name]:.0f} requests/s")
        asyncio.run(drain(server.port))
        floor_rps, extra = asyncio.run(
            closed_loop(server.port, lambda i: "/_floor", [], args.max_seconds, args.concurrency)
        )
        log(f"full speed: floor {floor_rps:.0f} requests/s")
    return {
        "pages": {name: figures(samples[name], errors[name], rps[name]) for name in names},
        "floor": figures(floor_samples["floor"], floor_errors["floor"] + extra, floor_rps),
    }


# -- During a schedule job (--during-schedule) -----------------------------------------------


async def start_schedule(port, slug, cookie, time_limit):
    """Start the schedule job through the organizer's form; returns the job's id."""
    pool = Pool(port)
    try:
        status, _, body = await pool.request("GET", f"/manage/{slug}/schedule", {"Cookie": cookie})
        if status != 200 or not (match := CSRF.search(body)):
            raise RuntimeError(f"the schedule page answered {status} without a CSRF token")
        form = urlencode({
            "csrf_token": match.group(1).decode(), "min_meetings": 0, "include_suggestions": "y",
            "time_limit": int(time_limit), "submit": "Generate schedule",
        }).encode()  # fmt: skip
        status, headers, body = await pool.request(
            "POST", f"/manage/{slug}/schedule",
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}, form,
        )  # fmt: skip
    finally:
        pool.close()
    found = re.search(r"/jobs/(\d+)", headers.get("location", "")) if status == 302 else None
    if found is None:
        raise RuntimeError(f"starting the schedule answered {status}: {body[:300]!r}")
    return int(found.group(1))


def job_state(engine, job_id):
    import sqlalchemy as sa

    with engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT status, created_at, finished_at, message, attempts FROM jobs "
                    "WHERE id = :id"), {"id": job_id},
        ).one()  # fmt: skip


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(sessions):
    """CPU seconds (user + system) used so far by the processes of each session in
    `sessions` (name -> session id: a server started with start_new_session and every
    process it forks, RQ's job processes included), by PostgreSQL ("postgres": all its
    processes, whoever they serve) and by the whole machine ("machine", all cores). Linux
    /proc; {} elsewhere."""
    used = dict.fromkeys([*sessions, "postgres"], 0.0)
    wanted = {sid: name for name, sid in sessions.items()}
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()[1:]
        used["machine"] = (sum(map(int, fields[:8])) - sum(map(int, fields[3:5]))) / _TICK
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    command, rest = stat.read().rsplit(")", 1)
            except OSError:
                continue  # ended meanwhile
            rest = rest.split()  # state ppid pgrp session ... utime (11) stime (12)
            name = wanted.get(int(rest[3]))
            if name is None and command.endswith("(postgres"):
                name = "postgres"
            if name is not None:
                used[name] += (int(rest[11]) + int(rest[12])) / _TICK
    except OSError:
        return {}
    return used


class Sampler(threading.Thread):
    """Every `interval` seconds: the job's status, stage and progress (from its row), the
    CPU seconds used so far by the web server, the job worker, PostgreSQL, this process (the
    client) and the machine, and the transactions the database has seen (a cached page
    costs none under gunicorn; a page rendered afresh costs one or more). `rows` holds
    (monotonic time, status, stage, progress, {name: cpu seconds})."""

    def __init__(self, engine, job_id, groups, interval=0.5):
        super().__init__(daemon=True, name="benchmark sampler")
        self.engine, self.job_id, self.groups, self.interval = engine, job_id, groups, interval
        self.rows, self.stopped = [], threading.Event()

    def run(self):
        import sqlalchemy as sa

        query = sa.text("SELECT status, stage, progress FROM jobs WHERE id = :id")
        transactions = sa.text(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database"
            " WHERE datname = current_database()"
        )
        while not self.stopped.is_set():
            now = time.monotonic()
            job = (None, None, None)
            with self.engine.connect() as connection:
                if self.job_id is not None:
                    job = connection.execute(query, {"id": self.job_id}).one()
                done = connection.execute(transactions).scalar()
            used = cpu_seconds(self.groups)
            used["transactions"] = done
            if "machine" in used:
                used["client"] = sum(os.times()[:2])  # this process: the benchmark's client
            self.rows.append((now, *job, used))
            self.stopped.wait(max(0.0, self.interval - (time.monotonic() - now)))

    def stop(self):
        self.stopped.set()
        self.join(10)


def timeline(record, samples):
    """One line per second of the open loop: requests due, their p95 and the worst, errors,
    the job's phase, and the cores used (CPU seconds per second) by the web server, the
    job worker (its job processes included), the benchmark's client, PostgreSQL (all of it)
    and everything else on the machine, and the database's transactions per second ("tx":
    pages rendered afresh, the job's writes and the sampler's own two a second). CPU shares
    depend on what else the machine runs; the transactions do not."""
    if not record:
        return []
    start = min(due for due, _ in record)
    seconds = {}
    for due, latency in record:
        seconds.setdefault(int(due - start), []).append(latency)
    header = f"{'s':>3} {'n':>4} {'p95 ms':>7} {'max ms':>7} {'err':>3}  {'job':<28} "
    lines = [header + f"{'web':>5} {'worker':>6} {'client':>6} {'pg':>5} {'other':>5} {'tx':>5}"]
    for second in sorted(seconds):
        values = seconds[second]
        ok = [x for x in values if x is not None]
        lo, hi = start + second, start + second + 1
        inside = [row for row in samples if lo <= row[0] < hi + 0.5]
        job = "-"
        if inside:
            _, status, stage, fraction, _ = inside[-1]
            if status is not None:
                job = f"{status} {stage or ''} {fraction or 0:.0%}"[:28]
        cores = dict.fromkeys(("web", "worker", "client", "postgres", "machine", "transactions"))
        before = [row for row in samples if row[0] <= lo]
        after = [row for row in samples if row[0] >= hi]
        if before and after and before[-1][4] and after[0][4]:
            span = after[0][0] - before[-1][0]
            for name in cores:
                if name in before[-1][4]:
                    # Clamped: a process that ended takes its CPU seconds with it.
                    cores[name] = max(0.0, after[0][4][name] - before[-1][4][name]) / span
        if cores["machine"] is not None:
            ours = sum(cores[name] or 0 for name in ("web", "worker", "client", "postgres"))
            cores["machine"] = max(0.0, cores["machine"] - ours)

        def show(value, width):
            return f"{'-' if value is None else f'{value:.2f}':>{width}}"

        lines.append(
            f"{second:>3} {len(values):>4} {percentile(ok, 95) or 0:>7.0f} "
            f"{(max(ok) * 1000 if ok else 0):>7.0f} {len(values) - len(ok):>3}  {job:<28} "
            f"{show(cores['web'], 5)} {show(cores['worker'], 6)} {show(cores['client'], 6)} "
            f"{show(cores['postgres'], 5)} {show(cores['machine'], 5)} "
            f"{'-' if cores['transactions'] is None else round(cores['transactions']):>5}"
        )
    return lines


def wait_for_worker(redis_url, process, timeout=120):
    """Wait until the worker has registered with Redis (imports done, ready for jobs), as a
    production worker started long before the job would be."""
    from redis import Redis
    from rq import Worker

    connection = Redis.from_url(redis_url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the job worker exited with status {process.returncode}")
        if Worker.all(connection=connection):
            return
        time.sleep(0.3)
    raise RuntimeError("the job worker did not register with Redis in time")


def during_schedule(url, slug, cookies, organizer_cookie, args, log):
    """The mixed page load while a schedule job of the event runs: in a thread of a web
    process (JOBS_BACKEND=thread) and on a worker process (JOBS_BACKEND=rq). The job is given
    a time limit of the load's length, so it runs throughout."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    pages = pages_of(slug)
    names = list(pages)
    targets = [
        (names[i % len(names)], pages[names[i % len(names)]](i // len(names)),
         cookies[i % len(cookies)])
        for i in range(max(len(cookies), len(names)) * len(names))
    ]  # fmt: skip
    from redis import Redis

    Redis.from_url(args.redis_url).flushdb()  # the benchmark's own Redis database
    out = {}
    for mode in args.modes.split(","):
        # "idle" and "idle-redis": the same load with no job, without and with REDIS_URL.
        env = {"JOBS_BACKEND": "thread"}
        if mode == "idle-redis":
            env = {"JOBS_BACKEND": "rq", "REDIS_URL": args.redis_url}
        worker = None
        if mode == "worker":
            env = {"JOBS_BACKEND": "rq", "REDIS_URL": args.redis_url}
            worker_env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "benchmark-secret-key",
                          "PYTHONPATH": str(REPO), **env}  # fmt: skip
            worker_env.pop("MATCHMAKER_DEV", None)
            worker = subprocess.Popen(
                [sys.executable, "-m", "matchmaker.worker", "--no-clock", "--log-level", "WARNING"],
                cwd=REPO, env=worker_env, start_new_session=True,
            )  # fmt: skip
            wait_for_worker(args.redis_url, worker)
        server = Server(url, args.workers, free_port(), args.page_cache_mb, extra_env=env)
        job_id = None
        try:
            server.wait_ready()
            rounds = asyncio.run(
                warm_every_page(server.port, targets, args.workers, args.concurrency)
            )
            log(f"warm-up ({mode}): p95 of each round over every page, ms: {rounds}")
            asyncio.run(drain(server.port))
            if mode in ("thread", "worker"):
                job_id = asyncio.run(
                    start_schedule(server.port, slug, organizer_cookie, args.seconds)
                )
            now = time.strftime("%H:%M:%S", time.gmtime())
            log(f"during a schedule job ({mode}): job {job_id}, {args.rate:g} requests/s for "
                f"{args.seconds:g} s from {now} UTC")  # fmt: skip
            groups = {"web": server.process.pid}
            if worker is not None:
                groups["worker"] = worker.pid
            sampler, record = Sampler(engine, job_id, groups), []
            sampler.start()
            try:
                samples, errors = asyncio.run(
                    open_loop(server.port, targets, args.rate, args.seconds, record)
                )
            finally:
                sampler.stop()
            if args.timeline:  # now: the job may run long after the load
                log("\n".join([f"timeline ({mode}):", *timeline(record, sampler.rows)]))
            deadline = time.monotonic() + (
                10 * args.seconds + 120 if args.job_wait is None else args.job_wait
            )
            state = None
            while job_id and (state := job_state(engine, job_id)).status not in ("done", "failed"):
                if time.monotonic() > deadline:
                    break
                time.sleep(1)
        finally:
            server.stop()
            if worker is not None:
                os.killpg(worker.pid, signal.SIGTERM)  # a warm shutdown: the job ends first
                try:
                    worker.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
                    worker.wait()
            if job_id is not None:  # not finished in --job-wait: its process is gone now
                with engine.begin() as connection:
                    connection.execute(sa.text(
                        "UPDATE jobs SET status = 'failed', finished_at = now(), message ="
                        " 'stopped by the benchmark' WHERE id = :id AND status IN"
                        " ('queued', 'running')"), {"id": job_id})  # fmt: skip
        latencies = [x for page in samples.values() for x in page]
        seconds = None
        if state is not None and state.finished_at:
            seconds = (state.finished_at - state.created_at).total_seconds()
        out[mode] = {
            "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95),
            "p99_ms": percentile(latencies, 99),
            "errors": sum(errors.values()),
            "job_status": state.status if state else None,
            "job_seconds": round(seconds, 1) if seconds is not None else None,
            "job_message": state.message if state else None,
        }
        log(f"  {mode}: {out[mode]}")
    engine.dispose()
    return out


# -- Server ----------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving benchmarks.web_app on loopback, stopped (with its workers) on exit."""

    def __init__(self, database_url, workers, port, page_cache_mb=None, extra_env=None):
        self.port = port
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "benchmark-secret-key",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_LOGLEVEL": "warning",
            "PYTHONPATH": str(REPO),
        }
        env.pop("MATCHMAKER_DEV", None)
        if page_cache_mb is not None:
            env["PAGE_CACHE_MB"] = str(page_cache_mb)
        env.update(extra_env or {})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "benchmarks.web_app:app"],
            cwd=REPO,
            env=env,
            start_new_session=True,  # its own process group: stopped whole on exit
        )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with status {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(
                        b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    )
                    if b" 200 " in s.recv(200):
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /health in time")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _stop_on_signal(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=100.0, help="offered requests/s")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each open loop")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCHMARK_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="a PostgreSQL database of the benchmark's own (created if missing)",
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--clients", type=int, default=50, help="logged-in participants")
    parser.add_argument("--max-seconds", type=float, default=10.0, help="each full-speed run")
    parser.add_argument("--concurrency", type=int, default=16, help="full-speed requests in flight")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the event's database")
    parser.add_argument(
        "--during-schedule",
        action="store_true",
        help="only the mixed load while a schedule job runs, in a web thread then on a worker",
    )
    parser.add_argument(
        "--modes", default="thread,worker", help="--during-schedule's runs, in this order"
    )
    parser.add_argument(
        "--job-wait",
        type=float,
        default=None,
        help="--during-schedule: seconds to wait for the job after the load (default: "
        "10 x --seconds + 120); a job still running is then stopped with its worker",
    )
    parser.add_argument(
        "--timeline",
        action="store_true",
        help="--during-schedule: print each second's p95, the job's phase and the cores used",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCHMARK_REDIS_URL", "redis://127.0.0.1:6379/15"),
        help="the Redis database of --during-schedule's worker run (emptied: its own)",
    )
    parser.add_argument(
        "--page-cache-mb",
        type=float,
        default=None,
        help="the servers' PAGE_CACHE_MB (default: the app's); 0 renders every request",
    )
    args = parser.parse_args(argv)

    def log(message):
        print(message, file=sys.stderr, flush=True)

    signal.signal(signal.SIGTERM, _stop_on_signal)
    url = normalise_database_url(args.database_url)
    slug = web_data.ensure_event(url, args.participants, rebuild=args.rebuild, log=log)
    step = max(1, args.participants // args.clients)
    emails = [web_data.email_for(i) for i in range(0, args.participants, step)][: args.clients]
    load_before = os.getloadavg()[0]

    def serve():
        server = Server(url, args.workers, free_port(), args.page_cache_mb)
        try:
            server.wait_ready()
        except BaseException:
            server.stop()
            raise
        return server

    with serve() as server:
        started = time.perf_counter()
        # Sessions are signed cookies: they stay valid on the servers started later.
        cookies = asyncio.run(login_all(server.port, emails, web_data.PASSWORD))
        log(f"{len(cookies)} clients logged in in {time.perf_counter() - started:.1f} s")
        if args.during_schedule:
            [organizer] = asyncio.run(
                login_all(server.port, [web_data.ORGANIZER_EMAIL], web_data.PASSWORD)
            )
    if args.during_schedule:
        report = during_schedule(url, slug, cookies, organizer, args, log)
        load_after = os.getloadavg()[0]
        print(
            f"{args.participants} participants, {args.workers} gunicorn workers, offered "
            f"{args.rate:g} requests/s for {args.seconds:g} s while a schedule job runs; load "
            f"average {load_before:.2f} before, {load_after:.2f} after"
        )
        for mode, row in report.items():
            print(
                f"{mode:<8} p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, p99 {row['p99_ms']} "
                f"ms, errors {row['errors']}; job {row['job_status']} in {row['job_seconds']} s"
            )
        if "worker" in report:
            print(f"bar: worker p95 {report['worker']['p95_ms']} ms (<= 100), errors "
                  f"{report['worker']['errors']} (0)")  # fmt: skip
        print(json.dumps({"during_schedule": report, "load_average": [load_before, load_after]}))
        return
    result = measure(serve, slug, cookies, args, log)
    load_after = os.getloadavg()[0]

    print(
        f"{args.participants} participants, {args.workers} gunicorn workers, offered "
        f"{args.rate:g} requests/s for {args.seconds:g} s; page cache "
        f"{'default' if args.page_cache_mb is None else f'{args.page_cache_mb:g} MB'}; load "
        f"average {load_before:.2f} before, {load_after:.2f} after"
    )
    print(f"{'page':<16} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'max rps':>8}")
    for name, row in [*result["pages"].items(), ("floor", result["floor"])]:
        print(
            f"{name:<16} {row['p50_ms']!s:>8} {row['p95_ms']!s:>8} {row['p99_ms']!s:>8} "
            f"{row['errors']:>7} {row['rps_max']:>8}"
        )
    floor_rps = result["floor"]["rps_max"] or 1
    worst_p95 = max((row["p95_ms"] or 0) for row in result["pages"].values())
    worst_ratio = min(row["rps_max"] / floor_rps for row in result["pages"].values())
    errors = sum(row["errors"] for row in result["pages"].values())
    print(
        f"bar: worst p95 {worst_p95} ms (<= 100), errors {errors} (0), lowest max rps "
        f"{worst_ratio:.0%} of the floor's (>= 30 %)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
