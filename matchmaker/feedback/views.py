from flask import abort, flash, redirect, render_template, url_for
from flask_login import login_required

from matchmaker.feedback import bp
from matchmaker.feedback.forms import FeedbackForm
from matchmaker.models import OUTCOMES
from matchmaker.permissions import own_registration_or_404
from matchmaker.services import feedback
from matchmaker.services.errors import DomainError, NotAllowed


def _form(item):
    form = FeedbackForm(prefix=f"m{item.meeting.id}", formdata=None)
    form.fill(item.answer or item.previous, cancelled=item.cancelled)
    return form


def _page(event, feedback_round, entries, status=200):
    return render_template(
        "feedback/mine.html",
        event=event,
        round=feedback_round,
        entries=entries,
        outcomes=OUTCOMES,
    ), status


@bp.get("/feedback")
@login_required
def mine(slug):
    event, me = own_registration_or_404(slug, approved=True)
    feedback_round = feedback.current_round(event)
    entries = [(item, _form(item)) for item in feedback.items(me, feedback_round)]
    return _page(event, feedback_round, entries)


@bp.post("/feedback/<int:meeting_id>")
@login_required
def answer(slug, meeting_id):
    event, me = own_registration_or_404(slug, approved=True)
    feedback_round = feedback.current_round(event)
    entries = [(item, _form(item)) for item in feedback.items(me, feedback_round)]
    item = next((item for item, _ in entries if item.meeting.id == meeting_id), None) or abort(404)
    if feedback_round is None:
        flash("Feedback is not open for this event yet: the organizers will email you when "
              "it opens.", "warning")  # fmt: skip
        return redirect(url_for("feedback.mine", slug=slug))
    form = FeedbackForm(prefix=f"m{meeting_id}")
    if not form.validate_on_submit():
        entries = [(i, form if i is item else f) for i, f in entries]
        return _page(event, feedback_round, entries)
    try:
        feedback.submit(me, meeting_id, feedback_round, form.answers())
    except NotAllowed:
        abort(404)
    except DomainError as error:
        flash(str(error), "danger")
    else:
        flash(f"Thank you: your feedback on the meeting with {item.partner.organisation.name} "
              "is saved.", "success")  # fmt: skip
    return redirect(url_for("feedback.mine", slug=slug, _anchor=f"meeting-{meeting_id}"))
