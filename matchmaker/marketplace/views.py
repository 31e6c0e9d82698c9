from flask import abort, current_app, render_template, request
from flask_login import current_user

from matchmaker.marketplace import bp
from matchmaker.marketplace.forms import OpportunitySearchForm, ParticipantSearchForm
from matchmaker.pagecache import cached_page
from matchmaker.permissions import get_event_or_404, participant_of, require_browse
from matchmaker.services import groups, marketplace
from matchmaker.webutil import page_arg


@bp.get("/marketplace")
@cached_page()
def index(slug):
    event = get_event_or_404(slug)
    require_browse(event)
    form = _search_form(OpportunitySearchForm, event)
    results = marketplace.search_opportunities(event, form.filters, *_page())
    return render_template("marketplace/index.html", event=event, form=form, results=results)


@bp.get("/participants")
@cached_page()
def participants(slug):
    event = get_event_or_404(slug)
    require_browse(event)
    form = _search_form(ParticipantSearchForm, event)
    results = marketplace.search_participants(event, form.filters, *_page())
    return render_template("marketplace/participants.html", event=event, form=form, results=results)


@bp.get("/participants/<int:participant_id>")
def participant(slug, participant_id):
    event = get_event_or_404(slug)
    require_browse(event)
    participant = marketplace.approved_participant(event, participant_id) or abort(404)
    viewer = participant_of(event, current_user)
    return render_template(
        "marketplace/participant.html",
        event=event,
        participant=participant,
        show_contact=event.is_organized_by(current_user),
        viewer=viewer,
        apart=groups.why_not(viewer, participant) if viewer else None,
    )


@bp.get("/opportunities/<int:opportunity_id>")
def opportunity(slug, opportunity_id):
    event = get_event_or_404(slug)
    require_browse(event)
    opportunity = marketplace.approved_opportunity(event, opportunity_id) or abort(404)
    return render_template("marketplace/opportunity.html", event=event, opportunity=opportunity)


def _search_form(form_class, event):
    """The search form read from the query string and validated; invalid fields are ignored."""
    countries = marketplace.event_countries(event)
    form = form_class(request.args, countries=countries, sectors=event.sectors or [])
    form.validate()
    return form


def _page():
    # Clamped so an edited URL cannot ask the database for an out-of-range offset.
    page = page_arg(request.args)
    return page, current_app.config["PAGE_SIZE"]
