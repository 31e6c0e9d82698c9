from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from matchmaker.feedback import bp
from matchmaker.feedback.forms import FeedbackForm
from matchmaker.models import OUTCOMES
from matchmaker.permissions import get_event_or_404, own_registration_or_404
from matchmaker.services import feedback
from matchmaker.services.errors import DomainError, NotAllowed


def _form(item):
    form = FeedbackForm(prefix=f"m{item.meeting.id}", formdata=None)
    form.fill(item.answer or item.previous, cancelled=item.cancelled)
    return form


def _page(event, feedback_round, entries, action, status=200, token=None):
    return render_template(
        "feedback/mine.html",
        event=event,
        round=feedback_round,
        entries=entries,
        outcomes=OUTCOMES,
        action=action,
        token=token,
    ), status


@bp.get("/feedback")
@login_required
def mine(slug):
    event, me = own_registration_or_404(slug, approved=True)
    return _show(event, me, _own_action(slug))


@bp.post("/feedback/<int:meeting_id>")
@login_required
def answer(slug, meeting_id):
    event, me = own_registration_or_404(slug, approved=True)
    back = url_for("feedback.mine", slug=slug, _anchor=f"meeting-{meeting_id}")
    return _answer(event, me, meeting_id, _own_action(slug), back)


# The link in a feedback email opens the form without logging in: the signed token names
# the participant, and only their meetings of the current round can be answered with it.


@bp.get("/feedback/link/<token>")
def by_link(slug, token):
    event = get_event_or_404(slug)
    me = _participant_of_link(event, token)
    return _show(event, me, _link_action(slug, token), token=token)


@bp.post("/feedback/link/<token>/<int:meeting_id>")
def answer_by_link(slug, token, meeting_id):
    event = get_event_or_404(slug)
    me = _participant_of_link(event, token)
    back = url_for("feedback.by_link", slug=slug, token=token, _anchor=f"meeting-{meeting_id}")
    return _answer(event, me, meeting_id, _link_action(slug, token), back, token=token)


def _participant_of_link(event, token):
    try:
        return feedback.participant_of_link(token, event)
    except NotAllowed:
        abort(404)
    except DomainError as error:  # expired: logging in still works
        flash(str(error), "warning")
        abort(redirect(url_for("auth.login", next=url_for("feedback.mine", slug=event.slug))))


def _own_action(slug):
    return lambda meeting_id: url_for("feedback.answer", slug=slug, meeting_id=meeting_id)


def _link_action(slug, token):
    return lambda meeting_id: url_for(
        "feedback.answer_by_link", slug=slug, token=token, meeting_id=meeting_id
    )


def _show(event, me, action, token=None):
    feedback_round = feedback.current_round(event)
    entries = [(item, _form(item)) for item in feedback.items(me, feedback_round)]
    return _page(event, feedback_round, entries, action, token=token)


def _answer(event, me, meeting_id, action, back, token=None):
    feedback_round = feedback.current_round(event)
    entries = [(item, _form(item)) for item in feedback.items(me, feedback_round)]
    item = next((item for item, _ in entries if item.meeting.id == meeting_id), None) or abort(404)
    if feedback_round is None:
        flash(_("Feedback is not open for this event yet: the organizers will email you when "
                "it opens."), "warning")  # fmt: skip
        return redirect(back)
    form = FeedbackForm(prefix=f"m{meeting_id}")
    if not form.validate_on_submit():
        entries = [(i, form if i is item else f) for i, f in entries]
        return _page(event, feedback_round, entries, action, token=token)
    try:
        feedback.submit(me, meeting_id, feedback_round, form.answers())
    except NotAllowed:
        abort(404)
    except DomainError as error:
        flash(str(error), "danger")
    else:
        flash(_("Thank you: your feedback on the meeting with %(organisation)s is saved.",
                organisation=item.partner.organisation.name), "success")  # fmt: skip
    return redirect(back)
