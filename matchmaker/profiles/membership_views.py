"""The members of one's organisation, and requests to join it."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.extensions import db
from matchmaker.models import MembershipRequest, User
from matchmaker.profiles import bp
from matchmaker.profiles.forms import MembershipActionForm
from matchmaker.services import membership
from matchmaker.services.errors import DomainError
from matchmaker.webutil import local_path


@bp.get("/organisation/members")
@login_required
def members():
    organisation = current_user.organisation
    if organisation is None:
        return redirect(url_for("profiles.organisation"))
    return render_template(
        "profiles/members.html",
        organisation=organisation,
        members=membership.members(organisation),
        requests=membership.pending_requests(organisation),
        can_decide=membership.can_decide(organisation, current_user),
        form=MembershipActionForm(),
    )


@bp.post("/organisation/members/<int:user_id>/remove")
@login_required
def remove_member(user_id):
    organisation = current_user.organisation
    member = db.session.get(User, user_id)
    if organisation is None or member is None or member.organisation_id != organisation.id:
        abort(404)
    if MembershipActionForm().validate_on_submit():
        name = member.name
        try:
            membership.remove_member(organisation, member, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(
                _(
                    "%(name)s is no longer a member of %(organisation)s.",
                    name=name,
                    organisation=organisation.name,
                ),
                "success",
            )
            if member.id == current_user.id:
                return redirect(url_for("profiles.organisation"))
    return redirect(url_for("profiles.members"))


@bp.post("/organisation/requests/<int:request_id>/<any(approve, decline):decision>")
@login_required
def decide_request(request_id, decision):
    join = db.session.get(MembershipRequest, request_id)
    if join is None or not membership.can_decide(join.organisation, current_user):
        abort(404)
    if MembershipActionForm().validate_on_submit():
        try:
            membership.decide(join, decision == "approve", by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            done = (
                _("%(name)s joined %(organisation)s.")
                if decision == "approve"
                else _("%(name)s will not join %(organisation)s.")
            )
            names = {"name": join.user.name, "organisation": join.organisation.name}
            flash(done % names, "success")
    return redirect(local_path(request.form.get("back")) or url_for("profiles.members"))


@bp.post("/profile/request/cancel")
@login_required
def cancel_request():
    join = membership.pending_request(current_user)
    if join is None:
        abort(404)
    if MembershipActionForm().validate_on_submit():
        try:
            membership.cancel(join, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(
                _(
                    "Your request to join %(organisation)s is withdrawn.",
                    organisation=join.organisation.name,
                ),
                "info",
            )
    return redirect(url_for("profiles.organisation"))
