from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from matchmaker.models import MembershipRequest
from matchmaker.profiles import bp
from matchmaker.profiles.forms import DeleteAccountForm, MembershipActionForm, ProfileForm
from matchmaker.sectors import sector_choices
from matchmaker.services import membership, privacy, queries, registration
from matchmaker.services.accounts import normalise_email
from matchmaker.services.errors import DomainError
from matchmaker.webutil import download, local_path, options


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def organisation():
    waiting = membership.pending_request(current_user)
    form = ProfileForm(obj=current_user.organisation)
    form.sectors.choices = options(sector_choices(*queries.events_of(current_user)))
    if waiting is None and form.validate_on_submit():
        try:
            saved = registration.save_profile(
                current_user._get_current_object(), form.profile_data()
            )
        except DomainError as error:
            form.name.errors.append(str(error))
        else:
            if isinstance(saved, MembershipRequest):
                flash(
                    _(
                        "We asked the members of %(organisation)s to let you join.",
                        organisation=saved.organisation.name,
                    ),
                    "info",
                )
                return redirect(url_for("profiles.organisation"))
            flash(_("Organisation profile saved."), "success")
            return redirect(local_path(request.args.get("next")) or url_for("main.dashboard"))
    return render_template(
        "profiles/organisation.html", form=form, waiting=waiting, action=MembershipActionForm()
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if normalise_email(form.email.data) != current_user.email:
            form.email.errors.append(_("This is not the email of your account."))
        else:
            try:
                registration.delete_account(current_user._get_current_object())
            except DomainError as error:
                flash(str(error), "danger")
            else:
                logout_user()
                flash(_("Your account and personal data are deleted."), "info")
                return redirect(url_for("main.index"))
    return render_template("profiles/delete_account.html", form=form)


@bp.get("/account/my-data")
@login_required
def my_data():
    archive = privacy.archive(current_user._get_current_object())
    return download(archive, "application/zip", privacy.archive_name())
