"""Routes of visitors and participants: events, one's registration, matches, meeting
requests and agenda. Each answers what the matching page would show to the token's owner."""

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.api import bp, schemas
from matchmaker.api.auth import scope_required
from matchmaker.api.common import domain_call, paged, refuse_fields
from matchmaker.extensions import db
from matchmaker.models import Opportunity, Participant, Slot
from matchmaker.permissions import (
    get_event_or_404,
    in_event_or_404,
    own_registration_or_404,
    own_request_or_404,
)
from matchmaker.services import agenda, booking, matchmaking, queries, registration
from matchmaker.services import requests as meeting_requests

PUBLIC = [{}, {"token": []}]  # callable without a token, as a visitor


def _event_view(event, approved):
    return {
        **{name: getattr(event, name) for name in schemas.Event().fields if hasattr(event, name)},
        "days": event.days,
        "participants": approved,
    }


@bp.get("/events")
@scope_required("read", public=True)
@bp.arguments(schemas.PageArgs, location="query")
@bp.response(200, schemas.page_of(schemas.Event, "EventPage"))
@bp.doc(security=PUBLIC)
def list_events(args):
    """Events open to the public, newest first."""
    events = [_event_view(event, count) for event, count in queries.listed_events()]
    return paged(events, args)


@bp.get("/events/<slug>")
@scope_required("read", public=True)
@bp.response(200, schemas.Event)
@bp.doc(security=PUBLIC)
def get_event(slug):
    """One event (a draft only for its organizers)."""
    event = get_event_or_404(slug)
    return _event_view(event, queries.status_counts(event).get("approved", 0))


@bp.get("/events/<slug>/registration")
@scope_required("read")
@bp.response(200, schemas.Registration)
def my_registration(slug):
    """Your registration for the event, with your offers and needs."""
    _event, me = own_registration_or_404(slug)
    return me


@bp.patch("/events/<slug>/registration")
@scope_required("participate")
@bp.arguments(schemas.RegistrationIn)
@bp.response(200, schemas.Registration)
def update_registration(data, slug):
    """Change what you look for and your maximum of meetings."""
    _event, me = own_registration_or_404(slug)
    looking_for = data.get("looking_for", me.looking_for)
    max_meetings = data.get("max_meetings", me.max_meetings)
    domain_call(registration.update_registration, me, looking_for, max_meetings, by=current_user)
    return me


@bp.get("/events/<slug>/registration/opportunities")
@scope_required("read")
@bp.arguments(schemas.PageArgs, location="query")
@bp.response(200, schemas.page_of(schemas.Opportunity, "OpportunityPage"))
def my_opportunities(args, slug):
    """Your offers and needs for the event."""
    _event, me = own_registration_or_404(slug)
    return paged(sorted(me.opportunities, key=lambda o: o.id), args)


@bp.post("/events/<slug>/registration/opportunities")
@scope_required("participate")
@bp.arguments(schemas.OpportunityIn)
@bp.response(201, schemas.Opportunity)
def add_opportunity(data, slug):
    """Add an offer or a need (as the page does while the event allows changes)."""
    _event, me = own_registration_or_404(slug)
    return domain_call(registration.save_opportunity, me, data, by=current_user)


def _opportunity(me, opportunity_id):
    found = db.session.get(Opportunity, opportunity_id)
    if found is None or found.participant_id != me.id:
        abort(404)
    return found


@bp.put("/events/<slug>/registration/opportunities/<int:opportunity_id>")
@scope_required("participate")
@bp.arguments(schemas.OpportunityIn)
@bp.response(200, schemas.Opportunity)
def change_opportunity(data, slug, opportunity_id):
    """Replace one of your offers or needs."""
    _event, me = own_registration_or_404(slug)
    found = _opportunity(me, opportunity_id)
    return domain_call(registration.save_opportunity, me, data, by=current_user, opportunity=found)


@bp.delete("/events/<slug>/registration/opportunities/<int:opportunity_id>")
@scope_required("participate")
@bp.response(204)
def remove_opportunity(slug, opportunity_id):
    """Remove one of your offers or needs."""
    _event, me = own_registration_or_404(slug)
    domain_call(registration.remove_opportunity, me, _opportunity(me, opportunity_id),
                by=current_user)  # fmt: skip
    return ""


@bp.get("/events/<slug>/matches")
@scope_required("read")
@bp.arguments(schemas.MatchFilter, location="query")
@bp.response(200, schemas.page_of(schemas.Match, "MatchPage"))
def my_matches(args, slug):
    """Your suggested matches, best first, each with why it matches."""
    _event, me = own_registration_or_404(slug)
    if me.status not in ("approved", "pending"):
        abort(404)
    return paged(matchmaking.suggestions(me, args["show"]), args)


def _request_view(found, me):
    incoming = found.receiver_id == me.id
    return {
        "id": found.id,
        "direction": "incoming" if incoming else "outgoing",
        "partner": found.sender if incoming else found.receiver,
        "status": found.status,
        "message": found.message,
        "decline_reason": found.decline_reason,
        "created_at": found.created_at,
        "expires_at": found.expires_at,
    }


@bp.get("/events/<slug>/requests")
@scope_required("read")
@bp.arguments(schemas.PageArgs, location="query")
@bp.response(200, schemas.page_of(schemas.MeetingRequest, "MeetingRequestPage"))
def my_requests(args, slug):
    """Meeting requests you received and sent, newest first."""
    _event, me = own_registration_or_404(slug, approved=True)
    incoming, outgoing = meeting_requests.requests_of(me)
    both = sorted([*incoming, *outgoing], key=lambda r: (r.created_at, r.id), reverse=True)
    return paged([_request_view(found, me) for found in both], args)


@bp.post("/events/<slug>/requests")
@scope_required("participate")
@bp.arguments(schemas.RequestIn)
@bp.response(201, schemas.MeetingRequest)
def send_request(data, slug):
    """Ask another approved participant for a meeting; where the requester picks the times,
    name the slots (`slot_ids`) where both are free."""
    event, me = own_registration_or_404(slug, approved=True)
    receiver = db.session.get(Participant, data["receiver_id"])
    if receiver is None or receiver.event_id != event.id or receiver.status != "approved":
        abort(404)
    if data["slot_ids"] and not booking.requester_picks_time(event):
        refuse_fields(slot_ids=_("This event does not let the requester choose the times."))
    slots = [in_event_or_404(Slot, event, slot_id) for slot_id in data["slot_ids"]]
    sent = domain_call(meeting_requests.send_request, me, receiver, data["message"],
                       by=current_user, slots=slots)  # fmt: skip
    return _request_view(sent, me)


@bp.post("/events/<slug>/requests/<int:request_id>/accept")
@scope_required("participate")
@bp.arguments(schemas.AcceptIn)
@bp.response(200, schemas.MeetingRequest)
def accept_request(data, slug, request_id):
    """Accept a request you received (naming the slot where the event books live)."""
    event, me = own_registration_or_404(slug, approved=True)
    found = own_request_or_404(me, request_id)
    slot = in_event_or_404(Slot, event, data["slot_id"]) if data["slot_id"] else None
    domain_call(meeting_requests.accept, found, by=current_user, slot=slot)
    return _request_view(found, me)


@bp.post("/events/<slug>/requests/<int:request_id>/decline")
@scope_required("participate")
@bp.arguments(schemas.DeclineIn)
@bp.response(200, schemas.MeetingRequest)
def decline_request(data, slug, request_id):
    """Decline a request you received, with an optional reason."""
    _event, me = own_registration_or_404(slug, approved=True)
    found = own_request_or_404(me, request_id)
    domain_call(meeting_requests.decline, found, data["reason"], by=current_user)
    return _request_view(found, me)


@bp.post("/events/<slug>/requests/<int:request_id>/cancel")
@scope_required("participate")
@bp.response(200, schemas.MeetingRequest)
def cancel_request(slug, request_id):
    """Cancel a request you sent (or an agreed meeting, as the page allows)."""
    _event, me = own_registration_or_404(slug, approved=True)
    found = own_request_or_404(me, request_id)
    domain_call(meeting_requests.cancel, found, by=current_user)
    return _request_view(found, me)


@bp.get("/events/<slug>/agenda")
@scope_required("read")
@bp.response(200, schemas.Agenda)
def my_agenda(slug):
    """Your meetings in the published agenda, in time order."""
    _event, me = own_registration_or_404(slug, approved=True)
    personal = agenda.personal_agenda(me)
    return {"published": personal.schedule is not None, "meetings": personal.meetings}
