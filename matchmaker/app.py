"""The application factory behind `matchmaker.create_app`."""

import math
import os
import sqlite3
import time

from flask import Flask, render_template
from flask_babel import gettext, lazy_gettext, ngettext
from sqlalchemy import event
from sqlalchemy.engine import Engine

from matchmaker import i18n, pagecache, security
from matchmaker.config import load_config
from matchmaker.countries import country_name
from matchmaker.extensions import bootstrap, csrf, db, limiter, login_manager, migrate
from matchmaker.models.events import EVENT_STATUSES
from matchmaker.webutil import IdConverter, refuse_nul_in_path


def build_app(test_config=None):
    """Create and configure the app: config layers, extensions, blueprints, CLI, errors."""
    app = Flask(
        "matchmaker",
        instance_path=os.environ.get("MATCHMAKER_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    load_config(app, test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.before_request(refuse_nul_in_path)  # first, before any hook reads the path

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please log in to see this page.")
    login_manager.login_message_category = "info"

    from matchmaker import (
        agenda,
        auth,
        eventday,
        events,
        main,
        marketplace,
        meetings,
        models,  # noqa: F401  (registers the tables with the metadata)
        organizer,
        profiles,
    )
    from matchmaker.cli import init_app as init_cli
    from matchmaker.permissions import load_user
    from matchmaker.services import mail

    login_manager.user_loader(load_user)
    blueprints = (agenda, auth, main, events, eventday, marketplace, meetings, organizer, profiles)
    for module in blueprints:
        app.register_blueprint(module.bp)
    from matchmaker import feedback, reports  # after the event: feedback, statistics, report

    for module in (feedback, reports):
        app.register_blueprint(module.bp)
    from matchmaker import inbox

    app.register_blueprint(inbox.bp)
    from matchmaker import networks  # issue 23: network pages, administration, statistics

    app.register_blueprint(networks.bp)

    from matchmaker import partners  # partners of an event (issue 23)

    app.register_blueprint(partners.bp)

    from matchmaker import api  # the REST API, its reference and the Tokens page (issue 24)
    from matchmaker.api import tokens_pages

    api.init_app(app)
    app.register_blueprint(tokens_pages.bp)
    from matchmaker import consortium  # consortium builder and group meetings (issue 25)

    app.register_blueprint(consortium.bp)
    app.add_template_global(_waiting_count, "waiting_count")  # called by base.html only
    init_cli(app)
    mail.init_app(app)
    security.init_app(app)
    pagecache.init_app(app)
    _register_error_pages(app)
    app.add_template_filter(country_name, "country_name")
    _online_helpers(app)
    app.context_processor(lambda: {"statuses": EVENT_STATUSES})
    return app


def _online_helpers(app):
    """Template helpers of online meetings and time zones (issue 24): the video room of a
    meeting, and an event time in the signed-in person's own zone."""
    from flask_login import current_user

    from matchmaker import timezones
    from matchmaker.services import video

    def own_time(event, wall):
        zone = getattr(current_user, "timezone", "") if current_user else ""
        return timezones.own_time(event.timezone, zone, wall)

    app.add_template_global(video.room_url, "video_room_url")
    app.add_template_global(video.room_of, "video_room")
    app.add_template_global(own_time, "own_time")
    app.add_template_filter(timezones.place_of, "zone_place")


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, _record):
    """SQLite checks foreign keys only when asked, once per connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _waiting_count(user):
    """The inbox count of the navigation bar; 0 when the database cannot answer, so that the
    error page of a database outage still shows."""
    from sqlalchemy.exc import SQLAlchemyError

    from matchmaker.services.inbox import waiting_count

    try:
        return waiting_count(user)
    except SQLAlchemyError:
        db.session.rollback()
        return 0


def _register_error_pages(app):
    for code in (400, 403, 404, 405, 429, 500):
        app.register_error_handler(code, _error_page(code))


def _error_page(code):
    def handler(error):
        from matchmaker.api import problems

        if problems.is_api_request():  # e.g. 404/405 of a URL no API route matched
            return problems.from_http_exception(error)
        if code == 500:
            db.session.rollback()
        wait = _wait_words() if code == 429 else None
        return render_template("errors/error.html", code=code, error=error, wait=wait), code

    return handler


def _wait_words():
    """When the limit that refused this request lets the next one through, in words."""
    limit = limiter.current_limit
    # reset_at is one second past the end of the window.
    seconds = limit.reset_at - 1 - time.time() if limit is not None else 60
    minutes = max(1, math.ceil(seconds / 60))
    if minutes == 1:
        return gettext("Try again in a minute.")
    if minutes < 90:
        return ngettext("Try again in %(num)d minute.", "Try again in %(num)d minutes.", minutes)
    hours = round(minutes / 60)
    return ngettext("Try again in about %(num)d hour.", "Try again in about %(num)d hours.", hours)
