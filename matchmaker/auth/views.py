import hashlib

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from matchmaker.auth import bp
from matchmaker.auth.forms import (
    LoginForm,
    LogoutForm,
    ResendVerificationForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignupForm,
)
from matchmaker.extensions import limiter
from matchmaker.services import accounts, sessions
from matchmaker.services.errors import DomainError
from matchmaker.webutil import external_url, local_path


def _config(name):
    """The rate limit named `name` in the configuration, read at each request."""
    return lambda: current_app.config[name]


def _email_key():
    """Count per email typed (normalised), whichever address the attempts come from."""
    email = accounts.normalise_email(request.form.get("email", ""))[:254]
    return "email:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _account_key():
    """Count failed logins per account typed, whichever address they come from. A new password
    (the reset the 429 page offers) starts a fresh count, so the owner gets back in at once
    while whoever guessed the old one starts again from nothing."""
    email = accounts.normalise_email(request.form.get("email", ""))[:254]
    user = accounts.find_user(email)
    stamp = (user.password_hash or "")[-16:] if user else ""
    return "account:" + hashlib.sha256(f"{email}\x1f{stamp}".encode()).hexdigest()[:32]


def _failed(response):
    """Only failed attempts count against the login limit (success redirects)."""
    return response.status_code != 302


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_config("SIGNUP_RATE_LIMIT"), methods=["POST"])
@limiter.limit(_config("EMAIL_RATE_LIMIT"), methods=["POST"], key_func=_email_key)
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            accounts.sign_up(form.email.data, form.name.data, form.password.data)
        except DomainError as error:
            form.password.errors.append(str(error))
        else:
            # The same answer whether the email was free or taken (the owner got a mail).
            email = accounts.normalise_email(form.email.data)
            flash(
                _(
                    "Check your inbox: we sent a link to %(email)s. Open it, then log in.",
                    email=email,
                ),
                "info",
            )
            # Onwards to where the visitor was going (an invitation's registration).
            return redirect(url_for("auth.login", next=local_path(request.args.get("next"))))
    return render_template("auth/signup.html", form=form)


@bp.get("/verify/<token>")
def verify_email(token):
    try:
        user = accounts.verify_email(token)
    except DomainError as error:
        return render_template("auth/verified.html", problem=str(error))
    return render_template("auth/verified.html", email=user.email)


@bp.get("/email/<token>")
def confirm_email_change(token):
    try:
        user = accounts.confirm_email_change(token)
    except DomainError as error:
        return render_template("auth/verified.html", problem=str(error))
    return render_template("auth/verified.html", email=user.email)


@bp.post("/verify/resend")
@login_required
@limiter.limit(_config("VERIFY_RATE_LIMIT"), methods=["POST"])
def resend_verification():
    if ResendVerificationForm().validate_on_submit():
        accounts.resend_verification(current_user._get_current_object())
        flash(_("We sent the link again to %(email)s.", email=current_user.email), "info")
    return redirect(local_path(request.args.get("next")) or url_for("main.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
# A wrong password counts for the account and for the address; the address limit is generous,
# so a right password is not refused because others failed from the same venue's Wi-Fi.
@limiter.limit(_config("LOGIN_ADDRESS_RATE_LIMIT"), methods=["POST"], deduct_when=_failed)
@limiter.limit(
    _config("LOGIN_ACCOUNT_RATE_LIMIT"),
    methods=["POST"],
    deduct_when=_failed,
    key_func=_account_key,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user:
            sessions.start(user, form.remember.data, request.user_agent.string)
            login_user(user, remember=form.remember.data)
            return redirect(local_path(request.args.get("next")) or url_for("main.dashboard"))
        flash(_("Wrong email or password."), "danger")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        sessions.end(current_user.get_id())
        logout_user()
        flash(_("You have logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_config("RESET_RATE_LIMIT"), methods=["POST"])
@limiter.limit(_config("EMAIL_RATE_LIMIT"), methods=["POST"], key_func=_email_key)
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        # The link is built on BASE_URL: the request's Host header is whatever the sender typed.
        accounts.send_password_reset(
            form.email.data, lambda token: external_url("auth.reset_password", token=token)
        )
        flash(_("If an account exists for this email, a reset link is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_config("RESET_RATE_LIMIT"), methods=["POST"])
def reset_password(token):
    try:
        accounts.user_for_reset_token(token)
    except DomainError as error:
        flash(str(error), "danger")
        return redirect(url_for("auth.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        accounts.reset_password(token, form.password.data)
        flash(_("Your password is changed. Log in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
