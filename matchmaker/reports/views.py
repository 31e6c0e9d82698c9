from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.models import FEEDBACK_ROUND_KINDS
from matchmaker.models.base import utcnow
from matchmaker.permissions import get_event_or_404
from matchmaker.reports import bp
from matchmaker.reports.figures import charts_for
from matchmaker.reports.forms import FunderReportForm, ReminderForm, RoundForm
from matchmaker.services import exports, feedback, statistics
from matchmaker.services.errors import DomainError
from matchmaker.webutil import download

EXPORTS = {
    "meetings": exports.export_meetings,
    "feedback": exports.export_feedback,
    "statistics": exports.export_statistics,
}


@bp.get("/feedback")
@login_required
def rounds(slug):
    event = get_event_or_404(slug, manage=True)
    next_kind = feedback.next_kind(event)
    return render_template(
        "reports/rounds.html",
        event=event,
        rates=feedback.answer_rates(event),
        next_kind=next_kind,
        has_ended=feedback.has_ended(event),
        waiting=feedback.reminder_count(event),
        next_at=feedback.next_reminder_at(feedback.current_round(event)),
        now=utcnow(),
        when=feedback.when,
        round_form=RoundForm(kind=next_kind),
        reminder_form=ReminderForm(),
        kinds=FEEDBACK_ROUND_KINDS,
    )


@bp.post("/feedback/rounds")
@login_required
def start_round(slug):
    event = get_event_or_404(slug, manage=True)
    form = RoundForm()
    if not form.validate_on_submit():
        flash(_("The form expired; please try again."), "danger")
        return redirect(url_for("reports.rounds", slug=slug))
    if not form.confirmed.data:
        people = feedback.recipient_count(event)
        return render_template("reports/confirm.html", event=event, form=form,
                               action="start", people=people)  # fmt: skip
    try:
        started, emailed = feedback.start_round(event, form.kind.data, by=current_user)
    except DomainError as error:
        flash(str(error), "danger")
    else:
        flash(_("Feedback round %(number)s started: %(emailed)s participants emailed.",
                number=started.number, emailed=emailed), "success")  # fmt: skip
    return redirect(url_for("reports.rounds", slug=slug))


@bp.post("/feedback/reminders")
@login_required
def send_reminders(slug):
    event = get_event_or_404(slug, manage=True)
    form = ReminderForm()
    if not form.validate_on_submit():
        flash(_("The form expired; please try again."), "danger")
        return redirect(url_for("reports.rounds", slug=slug))
    if not form.confirmed.data:
        current = feedback.current_round(event)
        return render_template(
            "reports/confirm.html", event=event, form=form, action="remind",
            people=feedback.reminder_count(event), round=current,
            next_at=feedback.next_reminder_at(current), now=utcnow(), when=feedback.when,
        )  # fmt: skip
    try:
        sent = feedback.send_reminders(event, by=current_user)
    except DomainError as error:
        flash(str(error), "danger")
    else:
        flash(_("Reminders sent to %(sent)s participants.", sent=sent), "success")
    return redirect(url_for("reports.rounds", slug=slug))


@bp.get("/statistics")
@login_required
def statistics_page(slug):
    event = get_event_or_404(slug, manage=True)
    stats = statistics.gather(event)
    return render_template(
        "reports/statistics.html", event=event, stats=stats, charts=charts_for(stats)
    )


@bp.get("/report")
@login_required
def report(slug):
    event = get_event_or_404(slug, manage=True)
    stats = statistics.gather(event)
    return render_template(
        "reports/report.html", event=event, stats=stats, charts=charts_for(stats),
        rates=feedback.answer_rates(event), kinds=FEEDBACK_ROUND_KINDS,
        generated=utcnow(), details=statistics.funder_details(event),
        organisations=statistics.organisations_by_country(event),
        pairs=statistics.country_pairs(event), quotes=statistics.quotes(event),
    )  # fmt: skip


@bp.route("/report/details", methods=["GET", "POST"])
@login_required
def report_details(slug):
    event = get_event_or_404(slug, manage=True)
    form = FunderReportForm(obj=statistics.funder_details(event))
    if form.validate_on_submit():
        statistics.save_funder_details(event, form.data, by=current_user)
        flash(_("The report's organizer, funder and narrative are saved."), "success")
        return redirect(url_for("reports.report", slug=slug))
    return render_template("reports/details.html", event=event, form=form)


@bp.get("/export/<any(meetings, feedback, statistics):what>.<any(csv, xlsx):fmt>")
@login_required
def export(slug, what, fmt):
    event = get_event_or_404(slug, manage=True)
    return download(*EXPORTS[what](event, fmt))
