"""Security headers and cookie settings applied to every response, and the trusted proxies."""

from flask import request, session
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script and no other origin; inline style attributes (progress bars' widths) are
# the one allowance.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# The browser features no page here uses.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
STATIC_ENDPOINTS = {"static", "bootstrap.static"}


def init_app(app):
    # Behind a reverse proxy the peer address is the proxy's: trust its X-Forwarded-* headers
    # (only as many hops as configured, or clients could forge their address and dodge the
    # rate limits).
    proxies = app.config.get("PROXY_COUNT") or 0
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    # A Host header outside TRUSTED_HOSTS: no URL can be built for it, so the error page
    # (which links to the site) cannot be rendered; answer in plain text.
    app.register_error_handler(SecurityError, _untrusted_host)

    # Secure cookies everywhere but local development over plain http, unless configured.
    production = not (app.debug or app.testing or app.config.get("DEVELOPMENT"))
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config.get(name) is None:
            app.config[name] = production
    # HSTS in production only, on every answer: behind a proxy that ends TLS the request
    # looks like plain http here, and browsers ignore the header on a plain-http answer.
    hsts = app.config.get("HSTS") if production else None

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", hsts)
        if request.endpoint not in STATIC_ENDPOINTS and "_user_id" in session:
            # A signed-in person's page: no shared cache may keep it, nor the browser's back
            # button show it after logout. (The page cache keeps pages on the server only.)
            if "no-store" not in (response.headers.get("Cache-Control") or ""):
                response.headers["Cache-Control"] = "no-store"
        # No Server header here: the WSGI server writes its own after the app answers.
        # gunicorn.conf.py drops gunicorn's; the development server's is left as it is.
        return response


def _untrusted_host(_error):
    return (
        "Bad request: this server does not answer for that host name.",
        400,
        {"Content-Type": "text/plain; charset=utf-8"},
    )
