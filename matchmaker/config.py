"""Configuration layers: defaults, then instance/config.py, then the environment, then tests.

Each layer overrides the one before it; `load_config` applies them in that order.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path


class Defaults:
    """Safe defaults for development; production overrides them through the environment."""

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # the session cookie already expires; a form left open stays valid
    BOOTSTRAP_SERVE_LOCAL = True  # the app must work offline: no CDN
    BOOTSTRAP_BOOTSWATCH_THEME = None
    RATELIMIT_ENABLED = True
    # Where the limits count. redis://host:6379 shares the counts across workers and hosts;
    # unset, REDIS_URL is used when set, else each worker process counts in its own memory.
    RATELIMIT_STORAGE_URI = None
    REDIS_URL = None
    RATELIMIT_HEADERS_ENABLED = True
    # Only failed logins count. Per account (the email typed) to protect it from guessing;
    # per address generously, as a venue's Wi-Fi puts hundreds of people behind one address.
    LOGIN_ACCOUNT_RATE_LIMIT = "5 per 5 minutes"
    LOGIN_ADDRESS_RATE_LIMIT = "100 per 5 minutes"
    SIGNUP_RATE_LIMIT = "30 per 10 minutes"  # per address; each sign-up costs an argon2 hash
    API_RATE_LIMIT = "120 per minute"  # per personal access token (per address without one)
    RESET_RATE_LIMIT = "20 per 10 minutes"  # reset requests and new passwords, per address
    EMAIL_RATE_LIMIT = "3 per hour"  # reset and sign-up mails to one email address
    PASSWORD_RESET_MAX_AGE = 3600  # seconds a reset link stays valid
    EMAIL_VERIFY_MAX_AGE = 2 * 24 * 3600  # seconds a link confirming an email stays valid
    VERIFY_RATE_LIMIT = "3 per minute"  # "send the link again" per address
    # argon2id parameters (RFC 9106 second recommended option); tests lower them for speed.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 64 * 1024  # KiB
    ARGON2_PARALLELISM = 4
    MAIL_BACKEND = "outbox"  # "outbox" writes .eml files to instance/outbox/, "smtp" sends
    MAIL_DEFAULT_SENDER = "Matchmaker <no-reply@matchmaker.local>"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    PAGE_SIZE = 25
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SECURE = None  # None: secure unless in development (security.init_app)
    REMEMBER_COOKIE_SECURE = None
    # A login session (services/sessions.py) ends after this long unused: the remember
    # cookie's duration when "keep me logged in" was ticked, LOGIN_IDLE_LIMIT otherwise.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    LOGIN_IDLE_LIMIT = timedelta(days=1)
    # Sent in production only (security.init_app); browsers ignore it over plain http.
    HSTS = "max-age=31536000; includeSubDomains"
    JOBS_INLINE = False  # True runs long tasks inside the request (tests)
    # Where long tasks and mail delivery run (services/jobs.py): "rq" on worker processes
    # through Redis, "thread" in the web process; None picks "rq" when REDIS_URL is set.
    JOBS_BACKEND = None
    JOB_HEARTBEAT_SECONDS = 10  # a running job says it is alive this often
    JOB_STALE_SECONDS = 120  # silent this long, a running job lost its process
    JOB_QUEUE_PATIENCE_SECONDS = 15 * 60  # queued this long with no worker, a job fails
    BASE_URL = "http://127.0.0.1:5000"  # for links in emails sent outside a request (CLI)
    TRUSTED_HOSTS = None  # a list of host names; None accepts any Host header
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host headers are
    # trusted (security.init_app). 0 trusts none: the rate limits then key on the peer address.
    PROXY_COUNT = 0
    # Rendered pages kept per worker process (matchmaker/pagecache.py); 0 turns it off.
    PAGE_CACHE_MB = 32
    # On PostgreSQL, keep the page cache's versions in memory, kept current by LISTEN/NOTIFY
    # (one connection per worker): a cached page then costs no query. `make serve` turns it on.
    PAGE_CACHE_LISTEN = False
    # An online meeting's video link goes live this many minutes before its slot (issue 24).
    VIDEO_ROOM_OPENS_MINUTES = 10
    # Webhooks (services/webhooks.py). Targets on loopback or private networks are refused
    # outside development unless this is set (a receiver on the same host or LAN, tests).
    WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    WEBHOOK_TIMEOUT_SECONDS = 5.0  # for each network operation of one attempt
    # Hand new deliveries to a worker (Redis) or a thread of the web process as soon as the
    # action commits; False leaves them to the every-minute clock (`flask scheduled`).
    WEBHOOK_DISPATCH = True


ENV_SETTINGS = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "MAIL_BACKEND": str,
    "MAIL_DEFAULT_SENDER": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": lambda value: value.lower() in {"1", "true", "yes", "on"},
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "RATELIMIT_STORAGE_URI": str,
    "API_RATE_LIMIT": str,
    "REDIS_URL": str,
    "SERVER_NAME": str,
    "BASE_URL": str,
    "TRUSTED_HOSTS": lambda value: [host.strip() for host in value.split(",") if host.strip()],
    "PROXY_COUNT": int,
    "PAGE_CACHE_MB": float,
    "PAGE_CACHE_LISTEN": lambda value: value.lower() in {"1", "true", "yes", "on"},
    "OUTBOX_DIR": str,
    "UPLOAD_DIR": str,
    "JOBS_BACKEND": str,
    "JOB_HEARTBEAT_SECONDS": float,
    "JOB_STALE_SECONDS": float,
    "JOB_QUEUE_PATIENCE_SECONDS": float,
    "VIDEO_ROOM_OPENS_MINUTES": int,
    "WEBHOOK_ALLOW_PRIVATE_TARGETS": lambda value: value.lower() in {"1", "true", "yes", "on"},
    "WEBHOOK_TIMEOUT_SECONDS": float,
}


class ConfigurationError(RuntimeError):
    """The app cannot start with this configuration; the message says what to set."""


def normalise_database_url(url):
    """Point PostgreSQL URLs at the psycopg 3 driver that SQLAlchemy 2 uses here."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_config(app, test_config=None):
    """Apply the configuration layers to `app.config` and derive the database URL.

    Raises ConfigurationError when production (no debug, no testing) has no SECRET_KEY.
    """
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for name, cast in ENV_SETTINGS.items():
        if os.environ.get(name):
            app.config[name] = cast(os.environ[name])
    if test_config:
        app.config.update(test_config)

    database_url = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL")
    if not database_url:
        database_url = "sqlite:///" + str(Path(app.instance_path) / "matchmaker.sqlite3")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(database_url)
    app.config.setdefault("OUTBOX_DIR", str(Path(app.instance_path) / "outbox"))
    # Uploaded files (network members' logos), served only through the app's own routes.
    app.config.setdefault("UPLOAD_DIR", str(Path(app.instance_path) / "uploads"))
    app.config["RATELIMIT_STORAGE_URI"] = (
        app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("REDIS_URL") or "memory://"
    )

    app.config["DEVELOPMENT"] = os.environ.get("MATCHMAKER_DEV") == "1"
    if not app.config.get("SECRET_KEY"):
        if app.debug or app.testing or app.config["DEVELOPMENT"]:
            app.config["SECRET_KEY"] = _development_secret(app.instance_path)
        else:
            raise ConfigurationError(
                "SECRET_KEY is not set. Set the SECRET_KEY environment variable (for example "
                "`export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')`) "
                "or put SECRET_KEY in instance/config.py. For local development run with "
                "--debug or MATCHMAKER_DEV=1."
            )


def _development_secret(instance_path):
    """Generate a development key once and keep it in the instance folder."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
