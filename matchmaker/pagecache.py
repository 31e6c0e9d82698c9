"""A cache of rendered pages, valid only while nothing they may show has changed.

The participant's busiest pages (dashboards, agenda, matches, marketplace) are read far more
often than the data behind them changes: on the morning of the event every participant
reloads the agenda again and again. Rendering one costs 3-15 ms of Python (ORM, Jinja,
WTForms); serving it again from memory costs a dictionary look-up.

**Validity.** Every commit that wrote something bumps counters in `cache_versions`
(`CacheVersion`), right after the commit: "any" always, "event:<id>" for the rows it wrote
that carry an `event_id`, "other" for everything else (users, organisations, events'
settings, rows without an `event_id`, bulk statements). A page is cached under the counters
it depends on: an event's pages under ("other", "event:<id>"), the cross-event dashboard under
("any"). A write makes every key that could show it unreachable at once. Rows no cached page
shows bump nothing: a job's own row, and a draft schedule with its meetings.

**Reading the counters.** By default, one small query before the page (so a cached page is
never older than its key). With `PAGE_CACHE_LISTEN` on PostgreSQL (`make serve` turns it
on), each worker process keeps the counters in memory: a thread LISTENs to the notification
that every bump sends, and a hit touches no database at all. Another worker may then lag a
write by the time a notification takes to arrive (well under a millisecond on one host);
never its writer, whose session remembers the counter its write produced and who is served
from the database until the worker has caught up. If the listener loses its connection, the
worker reads the counters from the database until it is back.

**Per session.** The key holds the endpoint, the full path with its query, the user's id, the
session's CSRF token (pages carry forms signed for that session) and the minute (pages that
depend on the clock, such as a deadline passing, are at most a minute late). Each page's
minute starts at its own second (from a checksum of its path and user), so that the cached
pages expire spread over the minute, not all at once on the minute: with every page of
2,000 participants expiring together, each worker rendered them all again in the same
seconds, and requests queued behind those renders for seconds, once a minute. A page is
cached only when the visitor is logged in, the answer is a 200 HTML page, and rendering it
neither left a flashed message nor changed the session.

**Where.** In each worker's memory, gzip-compressed (sent as is to browsers that accept gzip,
which all do), least recently used first out, `PAGE_CACHE_MB` per worker (0 turns it off).
"""

import functools
import gzip
import logging
import threading
import time
import zlib

import sqlalchemy as sa
from cachetools import LRUCache
from flask import Response, current_app, has_request_context, make_response, request, session
from sqlalchemy import event as sa_event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from matchmaker.extensions import db
from matchmaker.models import CacheVersion, Event, Meeting, MeetingAttendee, Schedule

log = logging.getLogger(__name__)

CLOCK_SECONDS = 60  # a cached page may be this late on what depends only on the clock
CHANNEL = "matchmaker_cache_versions"  # PostgreSQL notification channel of the bumps
APPLICATION_NAME = "matchmaker page cache"  # the listeners' connections in pg_stat_activity
_SCOPES = "matchmaker_cache_scopes"  # Session.info key: scopes written in this transaction
_WRITTEN = "_cache_written"  # flask.session key: the "any" counter of the user's last write


def init_app(app):
    megabytes = app.config.get("PAGE_CACHE_MB") or 0
    app.extensions["page_cache"] = _Store(int(megabytes * 1024 * 1024)) if megabytes > 0 else None
    app.extensions["page_cache_versions"] = None  # the listener, started on first use
    app.extensions["page_cache_lock"] = threading.Lock()


def cached_page(scope="event"):
    """Serve the decorated GET view from the page cache when its data has not changed.

    `scope` is "event" for pages of one event (the view takes `slug`) or "any" for pages that
    show several events. Put it above `login_required`: a hit needs a logged-in session, and
    a write to the user (deactivated, deleted) changes the key.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            key = _key(scope, kwargs.get("slug"))
            if key is None:
                return view(*args, **kwargs)
            store = current_app.extensions["page_cache"]
            body = store.get(key)
            if body is not None:
                return _from_cache(body)
            response = make_response(view(*args, **kwargs))
            if _cacheable(response):
                store.put(key, gzip.compress(response.get_data(), compresslevel=6, mtime=0))
                response.vary.add("Accept-Encoding")
            return response

        return wrapper

    return decorator


def _from_cache(compressed):
    if request.accept_encodings.quality("gzip") > 0:
        response = Response(compressed, mimetype="text/html")
        response.content_encoding = "gzip"
    else:
        response = Response(gzip.decompress(compressed), mimetype="text/html")
    response.vary.add("Accept-Encoding")
    return response


def _key(scope, slug):
    """The cache key of this request, or None when it must not use the cache."""
    if current_app.extensions.get("page_cache") is None or request.method != "GET":
        return None
    user_id = session.get("_user_id")
    if user_id is None or session.get("_flashes"):
        return None
    token = session.get("csrf_token")
    if token is None:
        return None  # the page creates the session's CSRF token: cache the next one
    versions = _versions(scope, slug)
    if versions is None:
        return None
    # What chooses the language (matchmaker.i18n), read without a query: the switcher sets the
    # session's choice (and the account's), so a page is not served in the language left behind.
    # (A choice made in another browser of the account shows here within the minute.)
    locale = (session.get("locale"), request.headers.get("Accept-Language", ""))
    return (request.endpoint, request.full_path, user_id, token, locale, versions, _minute(user_id))


def _minute(user_id):
    """The clock's part of the key: it changes every CLOCK_SECONDS, for each page at its own
    offset (the same in every process: a checksum, not Python's salted hash)."""
    offset = zlib.crc32(f"{request.full_path}\x1f{user_id}".encode()) % CLOCK_SECONDS
    return int((time.time() + offset) // CLOCK_SECONDS)


def _versions(scope, slug):
    """The counters a page of `scope` depends on; None for an unknown event."""
    listener = _listener()
    if listener is not None:
        known = listener.known(session.get(_WRITTEN, 0))
        if known is not None:
            if scope == "any":
                return (known.get("any", 0),)
            other = known.get("other", 0)
            seen = listener.slugs.get(slug)
            if seen is not None and seen[0] == other:  # an event's slug may change ("other")
                return (seen[1], other, known.get(f"event:{seen[1]}", 0))
    if scope == "any":
        return (db.session.scalar(_ANY_VERSION) or 0,)
    row = db.session.execute(_EVENT_VERSIONS, {"slug": slug}).first()
    if row is None:
        return None
    if listener is not None:
        listener.slugs[slug] = (row[1] or 0, row[0])
    return (row[0], row[1] or 0, row[2] or 0)


# The counters of one event's pages and of the cross-event pages. Plain SQL, built once: this
# query is all a cached page costs without the listener.
_EVENT_VERSIONS = sa.text(
    "SELECT e.id,"
    " (SELECT v.value FROM cache_versions v WHERE v.scope = 'other'),"
    " (SELECT v.value FROM cache_versions v WHERE v.scope = 'event:' || CAST(e.id AS VARCHAR))"
    " FROM events e WHERE e.slug = :slug"
).columns(sa.column("id"), sa.column("other"), sa.column("own"))  # a SELECT, not a write
_ANY_VERSION = sa.text("SELECT value FROM cache_versions WHERE scope = 'any'").columns(
    sa.column("value")
)


def _cacheable(response):
    return (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and "Set-Cookie" not in response.headers
        and not session.modified
        and not session.get("_flashes")
    )


class _Store:
    """A thread-safe LRU of compressed page bodies bounded by their total size in bytes."""

    def __init__(self, max_bytes):
        self._pages = LRUCache(maxsize=max_bytes, getsizeof=len)
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            return self._pages.get(key)

    def put(self, key, body):
        if len(body) > self._pages.maxsize:
            return
        with self._lock:
            self._pages[key] = body


# -- The counters in each worker's memory, kept current by PostgreSQL notifications ---------


def _listener():
    app = current_app._get_current_object()
    if not app.config.get("PAGE_CACHE_LISTEN") or db.engine.dialect.name != "postgresql":
        return None
    listener = app.extensions["page_cache_versions"]
    if listener is None:
        with app.extensions["page_cache_lock"]:  # started once per process, after the fork
            listener = app.extensions["page_cache_versions"]
            if listener is None:
                listener = app.extensions["page_cache_versions"] = Listener(db.engine.url)
    return listener


class Listener:
    """A thread that LISTENs to the counters' bumps and keeps them in memory.

    `known(written)` gives the counters (scope -> value), or None while they cannot be trusted:
    not connected yet or any more, or behind `written` (the "any" counter of the asking
    user's own last write). `slugs` maps an event's slug to ("other" counter when it was
    looked up, event id). `stop()` ends the thread (tests).
    """

    def __init__(self, url, retry_seconds=1.0):
        self.slugs = {}
        self._url = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._retry = retry_seconds
        self._values = {}
        self._live = False
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="page-cache-listener", daemon=True)
        self._thread.start()

    def known(self, written=0):
        values = self._values  # replaced whole, never changed in place: no lock needed
        if not self._live or values.get("any", 0) < written:
            return None
        return values

    def wait_live(self, seconds):
        deadline = time.monotonic() + seconds
        while not self._live and time.monotonic() < deadline:
            time.sleep(0.01)
        return self._live

    def stop(self):
        self._stopped.set()
        self._thread.join(5)

    def _run(self):
        import psycopg  # PostgreSQL only

        while not self._stopped.is_set():
            try:
                with psycopg.connect(
                    self._url, autocommit=True, application_name=APPLICATION_NAME
                ) as connection:
                    # LISTEN before reading: a bump in between is in the read or notified.
                    connection.execute(f"LISTEN {CHANNEL}")
                    rows = connection.execute("SELECT scope, value FROM cache_versions")
                    self._values = dict(rows.fetchall())
                    self._live = True
                    while not self._stopped.is_set():
                        for notification in connection.notifies(timeout=1.0):
                            self._apply(notification.payload)
            except Exception:
                log.warning("page cache listener disconnected; reading versions from the database")
            finally:
                self._live = False
            self._stopped.wait(self._retry)

    def _apply(self, payload):
        values = dict(self._values)
        for item in payload.split():
            scope, _, value = item.rpartition("=")
            values[scope] = max(values.get(scope, 0), int(value))
        self._values = values


# -- Bumping the counters after each commit that wrote -------------------------------------


_EVERY_PAGE = {"messages", "notices"}  # rows counted in every page's navigation bar
# Rows no cached page shows: writing them keeps every page. A job's bookkeeping (queued,
# claimed, heartbeat, progress, end) is shown on the organizer's job pages, which are never
# cached; were it counted, starting any job would empty every page cache of the site at once
# (its claim is a bulk UPDATE), and 2,000 participants' pages would all render cold together.
_NOT_SHOWN = {"cache_versions", "jobs"}


def scopes_written(objects):
    """The scopes of `objects` (new, changed or deleted in one flush): "event:<id>" for rows
    with an `event_id` (before and after a change), "other" for the rest. Messages and
    notices also write "other": the inbox count in the navigation shows them on the pages of
    every event (a request to answer shows there within the minute of the clock).

    Rows of a draft schedule (the version, its meetings, their attendee rows) write nothing:
    only organizers see drafts, on pages never cached; a version's publication changes its
    status and so counts. A meeting's attendee rows count for the meeting's event."""
    scopes = set()
    for obj in objects:
        if type(obj).__tablename__ in _NOT_SHOWN or _of_a_draft(obj):
            continue
        if type(obj).__tablename__ in _EVERY_PAGE:
            scopes.add("other")  # the inbox count in the navigation of every event's pages
        state = sa.inspect(obj)
        if isinstance(obj, MeetingAttendee):
            meeting = state.attrs.meeting.loaded_value
            if isinstance(meeting, Meeting):
                obj, state = meeting, sa.inspect(meeting)
        if isinstance(obj, Event) or "event_id" not in state.mapper.columns:
            scopes.add("other")
            continue
        history = state.attrs.event_id.history
        ids = [*history.added, *history.unchanged, *history.deleted]
        if not ids:  # not loaded: which event it belongs to is unknown
            scopes.add("other")
        scopes.update(f"event:{i}" if i is not None else "other" for i in ids)
    return scopes


def _of_a_draft(obj):
    """True when `obj` is a schedule, meeting or attendee row of a schedule that is a draft
    before and after this flush, as far as the session knows without a query (unknown: False,
    the row counts)."""
    if isinstance(obj, MeetingAttendee):
        obj = sa.inspect(obj).attrs.meeting.loaded_value
    if isinstance(obj, Meeting):
        obj = sa.inspect(obj).attrs.schedule.loaded_value
    if not isinstance(obj, Schedule):
        return False
    history = sa.inspect(obj).attrs.status.history
    return set([*history.added, *history.unchanged, *history.deleted]) == {"draft"}


@sa_event.listens_for(Session, "after_flush")
def _record_flush(session_, _context):
    written = scopes_written([*session_.new, *session_.dirty, *session_.deleted])
    session_.info.setdefault(_SCOPES, set()).update(written)


@sa_event.listens_for(Session, "do_orm_execute")
def _record_statement(state):
    # A bulk INSERT/UPDATE/DELETE (or any statement that is not a SELECT) may touch any
    # event: invalidate everything, unless it writes a table no cached page shows.
    if state.is_select:
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) not in _NOT_SHOWN:
        state.session.info.setdefault(_SCOPES, set()).add("other")


@sa_event.listens_for(Session, "after_commit")
def _bump_after_commit(session_):
    scopes = session_.info.pop(_SCOPES, None)
    if not scopes:
        return
    try:
        values = bump(session_.get_bind(), scopes)
    except Exception:  # the write itself is committed; a page may be a minute late at worst
        log.exception("could not bump the page cache's versions %s", sorted(scopes))
        return
    if has_request_context():
        session[_WRITTEN] = values["any"]  # read your own writes, whichever worker serves


def bump(bind, scopes):
    """Add one to the counters of `scopes` and of "any", in their own short transaction, and
    notify the listeners (PostgreSQL). Returns the new values (scope -> value)."""
    scopes = sorted({"any", *scopes})  # one lock order for every writer: no deadlock
    postgresql = bind.dialect.name == "postgresql"
    insert = postgresql_insert if postgresql else sqlite_insert
    statement = (
        insert(CacheVersion)
        .values([{"scope": s, "value": 1} for s in scopes])
        .on_conflict_do_update(
            index_elements=[CacheVersion.scope], set_={"value": CacheVersion.value + 1}
        )
        .returning(CacheVersion.scope, CacheVersion.value)
    )
    with bind.connect() as connection:
        values = dict(connection.execute(statement).all())
        if postgresql:  # delivered at commit, to every worker's listener
            payload = " ".join(f"{scope}={value}" for scope, value in sorted(values.items()))
            connection.execute(sa.select(sa.func.pg_notify(CHANNEL, payload)))
        connection.commit()
    return values
