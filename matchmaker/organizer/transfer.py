"""Organizer views: importing participants from CSV/XLSX and exporting the event's data."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from matchmaker.organizer import bp
from matchmaker.organizer.transfer_forms import ImportForm
from matchmaker.permissions import get_event_or_404
from matchmaker.services import exports, imports
from matchmaker.services.imports import ImportRejected
from matchmaker.webutil import download

# Room for the multipart envelope around the file, so a file just under the limit passes.
_FORM_OVERHEAD = 64 * 1024


@bp.url_value_preprocessor
def _limit_upload(endpoint, _values):
    """Cap the import's request body before anything reads it: this runs before the app's
    before_request hooks, and CSRF protection reads the form in one of them."""
    if endpoint == "organizer.import_participants":
        request.max_content_length = imports.MAX_FILE_BYTES + _FORM_OVERHEAD


@bp.errorhandler(RequestEntityTooLarge)
def _upload_too_large(error):
    """Answer an oversized import with the import page and the limit, to organizers only."""
    if request.endpoint != "organizer.import_participants":
        return error
    try:
        event = get_event_or_404(request.view_args["slug"], manage=True)
    except NotFound as not_found:
        return render_template("errors/error.html", code=404, error=not_found), 404
    return _import_page(event, ImportForm(formdata=None), [imports.too_large_message()]), 413


@bp.route("/<slug>/import", methods=["GET", "POST"])
@login_required
def import_participants(slug):
    event = get_event_or_404(slug, manage=True)
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = imports.import_participants(
                event, upload.filename, upload.stream, by=current_user
            )
        except ImportRejected as error:
            problems = error.problems
        else:
            flash(_summary(result), "warning" if result.unconfirmed else "success")
            return redirect(url_for("organizer.participants", slug=slug))
    return _import_page(event, form, problems)


@bp.get("/<slug>/import/template.<any(csv, xlsx):fmt>")
@login_required
def import_template(slug, fmt):
    event = get_event_or_404(slug, manage=True)
    return download(*imports.template(event, fmt))


@bp.get("/<slug>/export/participants.<any(csv, xlsx):fmt>")
@login_required
def export_participants(slug, fmt):
    event = get_event_or_404(slug, manage=True)
    return download(*exports.export_participants(event, fmt))


@bp.get("/<slug>/export/opportunities.<any(csv, xlsx):fmt>")
@login_required
def export_opportunities(slug, fmt):
    event = get_event_or_404(slug, manage=True)
    return download(*exports.export_opportunities(event, fmt))


def _import_page(event, form, problems):
    return render_template(
        "organizer/import.html",
        event=event,
        form=form,
        problems=problems,
        columns=imports.COLUMNS,
        sectors=imports.allowed_sectors(event),
        max_mib=imports.MAX_FILE_BYTES // (1024 * 1024),
        max_rows=imports.MAX_ROWS,
    )


def _summary(result):
    text = ngettext(
        "Imported %(participants)s (%(num)d new account invited).",
        "Imported %(participants)s (%(num)d new accounts invited).",
        result.new_accounts,
        participants=ngettext("%(num)d participant", "%(num)d participants", result.participants),
    )
    if result.unconfirmed:
        text += " " + ngettext(
            "%(num)d registration waits for your approval: %(emails)s already had an account "
            "whose email is not confirmed, so we mailed a link that confirms it. Approve once "
            "the participants list shows it confirmed.",
            "%(num)d registrations wait for your approval: %(emails)s already had an account "
            "whose email is not confirmed, so we mailed a link that confirms it. Approve once "
            "the participants list shows it confirmed.",
            len(result.unconfirmed),
            emails=", ".join(result.unconfirmed),
        )
    return text
