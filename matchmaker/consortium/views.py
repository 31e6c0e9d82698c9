from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.consortium import bp
from matchmaker.consortium.forms import (
    ActionForm,
    CancelForm,
    DraftForm,
    GroupMeetingForm,
    IdeaForm,
)
from matchmaker.extensions import db
from matchmaker.models import Participant
from matchmaker.models.group_meetings import GroupMeeting
from matchmaker.permissions import get_event_or_404, in_event_or_404, participant_of
from matchmaker.services import consortium
from matchmaker.services import group_meetings as meetings
from matchmaker.services.errors import DomainError
from matchmaker.webutil import flash_errors, options


def _builder_or_404(slug):
    """(event, the user's approved registration or None for an organizer): who may build."""
    event = get_event_or_404(slug)
    if event.is_organized_by(current_user):
        return event, None
    me = participant_of(event, current_user)
    if me is None or me.status != "approved":
        abort(404)
    return event, me


def _group_meeting_or_404(event, group_meeting_id):
    found = in_event_or_404(GroupMeeting, event, group_meeting_id)
    if not meetings.may_see(found, current_user):
        abort(404)
    return found


def _page(event, me, form, draft=None, status=200):
    return render_template(
        "consortium/builder.html",
        event=event,
        me=me,
        form=form,
        draft=draft,
        draft_form=DraftForm(),
    ), status


@bp.route("/events/<slug>/consortium", methods=["GET", "POST"])
@login_required
def builder(slug):
    event, me = _builder_or_404(slug)
    form = IdeaForm().fill(meetings.approved_participants(event), lead=me)
    draft = None
    if form.validate_on_submit():
        lead = me or db.session.get(Participant, form.lead.data)
        if lead is None or lead.event_id != event.id:
            form.lead.errors = [_("Choose the lead.")]
        else:
            try:
                draft = consortium.propose(event, form.idea_input(), lead)
            except DomainError as error:
                flash(str(error), "danger")
    return _page(event, me, form, draft)


@bp.post("/events/<slug>/consortium/<any(swap, invite):action>")
@login_required
def draft_action(slug, action):
    event, me = _builder_or_404(slug)
    form = DraftForm()
    if not form.validate_on_submit() or (action == "swap" and not form.member.data):
        flash(_("This proposal could not be read: please build the team again."), "danger")
        return redirect(url_for("consortium.builder", slug=slug))
    try:
        if action == "invite":
            made = meetings.invite_team(event, form.draft.data, form.team.data, "", by=current_user)
            flash(_("The team is invited. Each partner answers on this page."), "success")
            return redirect(
                url_for("consortium.group_meeting", slug=slug, group_meeting_id=made.id)
            )
        draft = consortium.draft_view(
            event, form.draft.data, swap=(form.team.data, form.member.data)
        )
    except DomainError as error:
        flash(str(error), "danger")
        return redirect(url_for("consortium.builder", slug=slug))
    if me is not None and draft.lead.id != me.id:
        abort(404)
    idea = IdeaForm(
        formdata=None, data=draft.idea.as_dict() | {"roles": "\n".join(draft.idea.roles)}
    )
    idea.fill(meetings.approved_participants(event), lead=me)
    flash(_("Partner swapped in team %(number)d.", number=form.team.data), "success")
    return _page(event, me, idea, draft)


@bp.get("/events/<slug>/group-meetings")
@login_required
def my_group_meetings(slug):
    event, me = _builder_or_404(slug)
    if me is None:
        return redirect(url_for("consortium.event_group_meetings", slug=slug))
    return render_template(
        "consortium/mine.html", event=event, me=me, group_meetings=meetings.of_participant(me)
    )


@bp.get("/events/<slug>/group-meetings/<int:group_meeting_id>")
@login_required
def group_meeting(slug, group_meeting_id):
    event = get_event_or_404(slug)
    found = _group_meeting_or_404(event, group_meeting_id)
    return render_template(
        "consortium/group_meeting.html",
        event=event,
        group_meeting=found,
        mine=meetings.member_of(found, current_user),
        is_lead=meetings.is_lead(found, current_user),
        organizer=event.is_organized_by(current_user),
        action_form=ActionForm(),
    )


@bp.post("/events/<slug>/group-meetings/<int:group_meeting_id>/<any(accept, decline):answer>")
@login_required
def answer(slug, group_meeting_id, answer):
    event = get_event_or_404(slug)
    found = _group_meeting_or_404(event, group_meeting_id)
    mine = meetings.member_of(found, current_user)
    form = ActionForm()
    if mine is None:
        abort(404)
    if form.validate_on_submit():
        try:
            meetings.answer(found, mine.participant, answer == "accept", by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(
                _("Your answer is saved.") if answer == "accept" else _("You declined."), "success"
            )
    else:
        flash_errors(form)
    return redirect(url_for("consortium.group_meeting", slug=slug, group_meeting_id=found.id))


@bp.post("/events/<slug>/group-meetings/<int:group_meeting_id>/replace/<int:participant_id>")
@login_required
def replace(slug, group_meeting_id, participant_id):
    event = get_event_or_404(slug)
    found = _group_meeting_or_404(event, group_meeting_id)
    leaving = in_event_or_404(Participant, event, participant_id)
    if not meetings.is_lead(found, current_user):
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            newcomer = meetings.replace_declined(found, leaving, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(_("%(name)s is invited instead.", name=newcomer.organisation.name), "success")
    return redirect(url_for("consortium.group_meeting", slug=slug, group_meeting_id=found.id))


@bp.route(
    "/events/<slug>/group-meetings/<int:group_meeting_id>/cancel",
    methods=["GET", "POST"],
)
@login_required
def cancel(slug, group_meeting_id):
    event = get_event_or_404(slug)
    found = _group_meeting_or_404(event, group_meeting_id)
    if not (meetings.is_lead(found, current_user) or event.is_organized_by(current_user)):
        abort(404)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            meetings.cancel(found, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(_("The group meeting is cancelled; its members are told."), "success")
        return redirect(url_for("consortium.group_meeting", slug=slug, group_meeting_id=found.id))
    return render_template("consortium/cancel.html", event=event, group_meeting=found, form=form)


@bp.get("/manage/<slug>/group-meetings")
@login_required
def event_group_meetings(slug):
    event = get_event_or_404(slug, manage=True)
    return render_template(
        "consortium/event_list.html", event=event, group_meetings=meetings.of_event(event)
    )


@bp.route("/manage/<slug>/group-meetings/new", methods=["GET", "POST"])
@login_required
def new_group_meeting(slug):
    event = get_event_or_404(slug, manage=True)
    participants = meetings.approved_participants(event)
    form = GroupMeetingForm()
    form.participants.choices = options((p.id, p.display_name) for p in participants)
    if form.validate_on_submit():
        by_id = {p.id: p for p in participants}
        chosen = [by_id[i] for i in form.participants.data]
        try:
            made = meetings.create_by_organizer(
                event, form.title.data, form.purpose.data, chosen, by=current_user
            )
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(_("The group meeting is set up; its members are told."), "success")
            return redirect(
                url_for("consortium.group_meeting", slug=slug, group_meeting_id=made.id)
            )
    return render_template("consortium/new.html", event=event, form=form)
