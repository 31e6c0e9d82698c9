from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from matchmaker.models import EventPartner, Participant
from matchmaker.partners import bp, invitations
from matchmaker.partners.forms import ActionForm, AddPartnerForm, RetagForm
from matchmaker.permissions import (
    get_event_or_404,
    in_event_or_404,
    participant_of,
    partner_company_or_404,
    partner_staff_or_404,
)
from matchmaker.services import partners
from matchmaker.services.errors import DomainError
from matchmaker.webutil import download, external_url, flash_errors, local_path

# --- the organizer's side ----------------------------------------------------------------------


def _partners_page(slug):
    return redirect(url_for("partners.manage", slug=slug))


@bp.route("/manage/<slug>/partners", methods=["GET", "POST"])
@login_required
def manage(slug):
    event = get_event_or_404(slug, manage=True)
    form = AddPartnerForm().fill(partners.candidate_members(event))
    if form.validate_on_submit():
        try:
            added = partners.add_partner(event, int(form.member.data), by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(
                _(
                    "%(name)s is now a partner: send them their invitation link.",
                    name=added.name,
                ),
                "success",
            )
            return _partners_page(slug)
    elif request.method == "POST":
        flash_errors(form)
    return render_template(
        "partners/manage.html",
        event=event,
        form=form,
        links={p.id: external_url("partners.join", slug=slug, token=p.invite_token)
               for p in event.partners},
        counts=partners.partner_counts(event),
    )  # fmt: skip


@bp.route("/manage/<slug>/partners/<int:partner_id>/<any(renew, remove):action>",
          methods=["GET", "POST"])  # fmt: skip
@login_required
def change(slug, partner_id, action):
    event = get_event_or_404(slug, manage=True)
    partner = in_event_or_404(EventPartner, event, partner_id)
    form = ActionForm()
    if form.validate_on_submit():
        name = partner.name  # read before the partner's row goes
        try:
            if action == "remove":
                partners.remove_partner(partner, by=current_user)
                flash(_("%(name)s is no longer a partner of this event.", name=name), "info")
            else:
                partners.replace_link(partner, by=current_user)
                flash(
                    _("%(name)s has a new invitation link; the old one stopped.", name=name),
                    "success",
                )
        except DomainError as error:
            flash(str(error), "danger")
        return _partners_page(slug)
    count = partners.partner_counts(event).get(partner.id, 0)
    return render_template(
        "partners/confirm.html", event=event, partner=partner, action=action, form=form,
        count=count,
    )  # fmt: skip


@bp.post("/manage/<slug>/participants/<int:participant_id>/partner")
@login_required
def retag(slug, participant_id):
    event = get_event_or_404(slug, manage=True)
    participant = in_event_or_404(Participant, event, participant_id)
    form = RetagForm().fill(event)
    if form.validate_on_submit():
        try:
            partner = partners.retag(participant, form.partner_id(), by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            organisation = participant.organisation.name
            if partner:
                done = _(
                    "%(organisation)s is now invited by %(partner)s.",
                    organisation=organisation,
                    partner=partner.name,
                )
            else:
                done = _(
                    "%(organisation)s is now not linked to any partner.", organisation=organisation
                )
            flash(done, "success")
    else:
        flash_errors(form)
    back = local_path(request.form.get("back"))
    return redirect(back or url_for("organizer.participants", slug=slug))


# --- the invitation link -----------------------------------------------------------------------


@bp.get("/events/<slug>/join/<token>")
def join(slug, token):
    event = get_event_or_404(slug)
    partner = partners.partner_for_token(event, token)
    if partner is None:
        return render_template("partners/join_invalid.html", event=event), 404
    invitations.remember(event, token)
    register = url_for("events.register", slug=slug)
    return render_template(
        "partners/join.html",
        event=event,
        partner=partner,
        registration=participant_of(event, current_user),
        register=register,
    )


# --- the partner's staff -----------------------------------------------------------------------


@bp.get("/events/<slug>/partner")
@login_required
def dashboard(slug):
    event, mine = partner_staff_or_404(slug)
    companies = partners.companies(event, mine, by=current_user)
    return render_template(
        "partners/dashboard.html",
        event=event,
        partners=mine,
        companies=companies,
        stuck=sum(1 for company in companies if company.stuck),
        form=ActionForm(),
        links={p.id: external_url("partners.join", slug=slug, token=p.invite_token)
               for p in mine},
    )  # fmt: skip


@bp.get("/events/<slug>/partner/companies/<int:participant_id>")
@login_required
def company(slug, participant_id):
    event, mine, participant = partner_company_or_404(slug, participant_id)
    figures = next(
        c for c in partners.companies(event, mine, by=current_user) if c.participant == participant
    )
    return render_template("partners/company.html", event=event, company=figures, form=ActionForm())


@bp.post("/events/<slug>/partner/companies/<int:participant_id>/<any(approved, rejected):status>")
@login_required
def decide(slug, participant_id, status):
    _event, _mine, participant = partner_company_or_404(slug, participant_id)
    if ActionForm().validate_on_submit():
        try:
            partners.decide(participant, status, by=current_user)
            flash(f"{participant.organisation.name}: {participant.status_label}.", "success")
        except DomainError as error:
            flash(str(error), "danger")
    back = local_path(request.form.get("back"))
    return redirect(back or url_for("partners.dashboard", slug=slug))


@bp.route("/events/<slug>/partner/remind", methods=["GET", "POST"])
@login_required
def remind(slug):
    event, mine = partner_staff_or_404(slug)
    form = ActionForm()
    if form.validate_on_submit():
        sent = partners.remind_stuck(event, mine, by=current_user)
        if sent:
            flash(
                ngettext("Reminded %(num)d company.", "Reminded %(num)d companies.", sent),
                "success",
            )
        else:
            flash(_("Nobody needed a reminder: no email was sent."), "info")
        return redirect(url_for("partners.dashboard", slug=slug))
    return render_template(
        "partners/remind.html",
        event=event,
        partners=mine,
        stuck=partners.stuck_companies(event, mine, by=current_user),
        form=form,
    )


@bp.get("/events/<slug>/partner/export.<any(csv, xlsx):fmt>")
@login_required
def export(slug, fmt):
    event, mine = partner_staff_or_404(slug)
    try:
        return download(*partners.export_companies(event, mine, fmt, by=current_user))
    except DomainError:
        abort(404)


@bp.app_template_global("partner_events")
def partner_events(user):
    """[(event, partner)] where `user` is a partner's staff: for the dashboard's list."""
    return partners.events_staffed_by(user)
