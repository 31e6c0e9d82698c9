"""The account page: where the person is signed in, and their password."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.auth.forms import ChangePasswordForm, SignOutElsewhereForm
from matchmaker.extensions import limiter
from matchmaker.inbox.forms import MessageEmailForm
from matchmaker.models.base import utcnow
from matchmaker.profiles import bp
from matchmaker.profiles.forms import TimeZoneForm
from matchmaker.services import accounts, sessions
from matchmaker.services.errors import DomainError


def _account_key():
    return f"account:{current_user.id}"


def _failed(response):
    return response.status_code != 302


@bp.get("/account")
@login_required
def account():
    return _account_page(ChangePasswordForm())


@bp.post("/account/password")
@login_required
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
    key_func=_account_key,
    deduct_when=_failed,
)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        me = current_user._get_current_object()
        try:
            accounts.change_password(me, form.current.data, form.password.data, keep=me.get_id())
        except DomainError as error:
            form.current.errors.append(str(error))
        else:
            flash(_("Your password is changed. Every other browser is signed out."), "success")
            return redirect(url_for("profiles.account"))
    return _account_page(form)


@bp.post("/account/sign-out-elsewhere")
@login_required
def sign_out_elsewhere():
    if SignOutElsewhereForm().validate_on_submit():
        me = current_user._get_current_object()
        ended = sessions.sign_out_everywhere_else(me, me.get_id())
        flash(
            _("Signed out everywhere else.") if ended else _("You were signed in only here."),
            "info",
        )
    return redirect(url_for("profiles.account"))


@bp.post("/account/time-zone")
@login_required
def time_zone():
    form = TimeZoneForm().fill()
    if form.validate_on_submit():
        accounts.set_timezone(current_user._get_current_object(), form.timezone.data)
        flash(_("Your time zone is saved."), "success")
        return redirect(url_for("profiles.account"))
    return _account_page(ChangePasswordForm(formdata=None), zone_form=form)


def _account_page(password_form, zone_form=None):
    me = current_user._get_current_object()
    now = utcnow()
    devices = [
        {
            "name": sessions.describe_device(login.user_agent),
            "here": sessions.is_token_of(login, me.get_id()),
            "seen": _ago(now - login.last_seen_at),
            "since": login.created_at,
        }
        for login in sessions.sessions_of(me)
    ]
    return render_template(
        "profiles/account.html",
        password_form=password_form,
        sign_out_form=SignOutElsewhereForm(),
        message_form=MessageEmailForm(choice=me.message_email),
        zone_form=zone_form or TimeZoneForm(timezone=me.timezone).fill(),
        devices=devices,
    )


def _ago(delta):
    minutes = int(delta.total_seconds() // 60)
    if minutes < 5:
        return "in the last few minutes"
    if minutes < 120:
        return f"{minutes} minutes ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} hours ago"
    return f"{minutes // (24 * 60)} days ago"
