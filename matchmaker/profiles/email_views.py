"""Changing the email of one's account: it moves only once the new address confirms."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.extensions import limiter
from matchmaker.profiles import bp
from matchmaker.profiles.forms import ChangeEmailForm
from matchmaker.services import accounts
from matchmaker.services.errors import DomainError


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"], methods=["POST"])
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            accounts.request_email_change(
                current_user._get_current_object(), form.email.data, form.password.data
            )
        except DomainError as error:
            form.password.errors.append(str(error))
        else:
            # The same answer whether or not the address belongs to another account.
            email = accounts.normalise_email(form.email.data)
            flash(
                _(
                    "Check your inbox: we sent a link to %(email)s. Open it to move your account.",
                    email=email,
                )
            )
            return redirect(url_for("profiles.organisation"))
    return render_template("profiles/change_email.html", form=form)
