from flask import current_app, jsonify, render_template, request
from flask_login import current_user, login_required

from matchmaker.extensions import limiter
from matchmaker.main import bp
from matchmaker.pagecache import cached_page
from matchmaker.permissions import can_browse_participants, get_event_or_404, participant_of
from matchmaker.services import eventday, queries
from matchmaker.services import health as service_health
from matchmaker.webutil import page_arg


@bp.get("/")
def index():
    return render_template("main/index.html", events=queries.listed_events())


@bp.get("/dashboard")
@cached_page("any")
@login_required
def dashboard():
    organized = queries.organized_events(current_user) if current_user.is_organizer else []
    return render_template(
        "main/dashboard.html",
        organized=organized,
        registrations=queries.registrations_of(current_user),
        staffed=eventday.staffed_events(current_user),
    )


@bp.get("/events/<slug>")
def event(slug):
    event = get_event_or_404(slug)
    can_browse = can_browse_participants(event, current_user)
    page = None
    if can_browse:
        page = queries.approved_participants(
            event, page_arg(request.args), current_app.config["PAGE_SIZE"]
        )
    return render_template(
        "main/event.html",
        event=event,
        participants=page,
        opportunity_count=queries.opportunity_count(event),
        registration=participant_of(event, current_user),
        can_browse=can_browse,
    )


@bp.get("/health")
@limiter.exempt
def health():
    """For load balancers and monitors: no login, no session, never rate limited."""
    database_ok = service_health.database_reachable()
    body = {
        "status": "ok" if database_ok else "error",
        "database": "ok" if database_ok else "error",
    }
    return jsonify(body), 200 if database_ok else 503
