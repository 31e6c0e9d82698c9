"""Accounts: sign-up, email verification, authentication, password hashing and reset
tokens."""

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from matchmaker import timezones
from matchmaker.extensions import db
from matchmaker.models import ROLES, User
from matchmaker.models.base import utcnow
from matchmaker.services import sessions
from matchmaker.services.errors import Conflict, DomainError
from matchmaker.services.locks import guarded
from matchmaker.services.mail import send_mail

MIN_PASSWORD_LENGTH = 10
_RESET_SALT = "password-reset"
_VERIFY_SALT = "email-verify"
_EMAIL_CHANGE_SALT = "email-change"


class InvalidToken(DomainError):
    """A password-reset or email-confirmation link that is malformed, expired or used up."""


def _hasher():
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password):
    """An argon2id hash of `password`, with the configured cost."""
    return _hasher().hash(password)


def normalise_email(email):
    return email.strip().lower()


def find_user(email):
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def create_user(email, name, password, role="participant", verified=False):
    """Create and commit a user account, its email confirmed when `verified` (accounts made by
    an administrator or the demo; a sign-up stays unconfirmed until its link is opened).
    Raises Conflict when the email is taken (also by a sign-up a moment earlier: the unique
    email key decides), DomainError when the role is unknown or the password too short."""
    if role not in ROLES:
        raise DomainError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    check_password_strength(password)
    taken = "An account with this email already exists. Log in or reset the password."
    if find_user(email):
        raise Conflict(taken)
    user = User(
        email=normalise_email(email), name=name.strip(), password_hash=hash_password(password)
    )
    user.role = role
    user.email_verified_at = utcnow() if verified else None
    db.session.add(user)
    with guarded(taken):
        db.session.commit()
    return user


def sign_up(email, name, password):
    """Sign a visitor up and commit. Returns the new, unconfirmed account (its confirmation
    link mailed), or None when the email already has an account: then nothing is created and
    the owner is mailed that someone tried. The visitor hears the same either way, so sign-up
    cannot be used to learn which emails have accounts. Raises DomainError for a short
    password."""
    check_password_strength(password)
    if find_user(email) is None:
        try:
            user = create_user(email, name, password)
        except Conflict:
            db.session.rollback()  # someone signed up with it a moment earlier
        else:
            send_verification(user)
            db.session.commit()
            return user
    else:
        # Spend the time a new account costs, so the answer's timing tells nothing either.
        hash_password(password)
    # Looked up afresh, straight from the database: after a lost race the earlier look-up saw
    # no account (tests stand in for that race by making find_user see nothing).
    owner = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    send_mail(
        owner.email,
        _l("Someone tried to sign up with your email"),
        "signup_taken",
        user=owner,
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )
    db.session.commit()
    return None


def _verify_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_VERIFY_SALT)


def make_verify_token(user):
    """A signed token confirming `user`'s current email; it stops working once the email
    changes, and after EMAIL_VERIFY_MAX_AGE seconds."""
    return _verify_serializer().dumps({"id": user.id, "e": user.email})


def send_verification(user):
    """Mail `user` the link that confirms their email (the caller commits)."""
    send_mail(
        user.email,
        _l("Confirm your email for Matchmaker"),
        "verify_email",
        user=user,
        token=make_verify_token(user),
        days=max(1, current_app.config["EMAIL_VERIFY_MAX_AGE"] // 86400),
    )


def resend_verification(user):
    """Mail the confirmation link again and commit; nothing when already confirmed."""
    if user.is_verified:
        return
    send_verification(user)
    db.session.commit()


def verify_email(token):
    """Mark the account of a valid confirmation link confirmed and commit. Returns the user.
    Raises InvalidToken when the link is malformed, expired, or for an email since changed."""
    try:
        data = _verify_serializer().loads(token, max_age=current_app.config["EMAIL_VERIFY_MAX_AGE"])
    except SignatureExpired as error:
        raise InvalidToken(
            _("This confirmation link has expired. Log in and ask for a new one.")
        ) from error
    except BadSignature as error:
        raise InvalidToken(
            _("This confirmation link is not valid. Log in and ask for a new one.")
        ) from error
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("e"):
        raise InvalidToken(_("This confirmation link is for an email this account no longer uses."))
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.commit()
    return user


def _email_change_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_EMAIL_CHANGE_SALT)


def request_email_change(user, new_email, password):
    """Mail a link to `new_email` that moves `user`'s account there once opened, and commit;
    the account keeps its email until then. When another account already has that address,
    nothing changes and its owner is told instead; the caller answers the same either way.
    Raises DomainError when `password` is not the account's or the address is the same."""
    _check_current_password(user, password)
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise DomainError(_("This is already the email of your account."))
    owner = find_user(new_email)
    if owner is not None:
        send_mail(
            owner.email,
            _l("Someone tried to move an account to your email"),
            "email_change_taken",
            user=owner,
        )
    else:
        token = _email_change_serializer().dumps({"id": user.id, "e": user.email, "new": new_email})
        send_mail(
            new_email,
            _l("Confirm your new email for Matchmaker"),
            "email_change",
            user=user,
            new_email=new_email,
            token=token,
            days=max(1, current_app.config["EMAIL_VERIFY_MAX_AGE"] // 86400),
        )
    db.session.commit()


def confirm_email_change(token):
    """Move the account of a valid email-change link to its new (thereby confirmed) address,
    tell the old address, and commit. Returns the user. Raises InvalidToken when the link is
    malformed, expired, already used, or the address was taken meanwhile."""
    try:
        data = _email_change_serializer().loads(
            token, max_age=current_app.config["EMAIL_VERIFY_MAX_AGE"]
        )
    except SignatureExpired as error:
        raise InvalidToken(_("This link has expired. Ask for the change again.")) from error
    except BadSignature as error:
        raise InvalidToken(_("This link is not valid. Ask for the change again.")) from error
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("e"):
        raise InvalidToken(_("This link has already been used."))
    taken = "Another account uses this email now; the change was not made."
    if find_user(data["new"]) is not None:
        raise InvalidToken(taken)
    old_email, user.email, user.email_verified_at = user.email, data["new"], utcnow()
    send_mail(old_email, _l("Your Matchmaker email was changed"), "email_changed", user=user)
    with guarded(taken):
        db.session.commit()
    return user


def check_password_strength(password):
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _("The password needs at least %(num)d characters.", num=MIN_PASSWORD_LENGTH)
        )


def authenticate(email, password):
    """The user with this email and password, or None. Both failures look the same to callers,
    so a login page cannot be used to learn which emails have accounts."""
    user = find_user(email)
    if user is None or not user.password_hash or not user.active:
        # Spend the same time as a real check so timing does not reveal unknown emails.
        _hasher().hash(password)
        return None
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def make_reset_token(user):
    """A signed token for `user`. It carries a fragment of the current password hash, so it
    stops working once the password has changed (single use)."""
    return _serializer().dumps({"id": user.id, "h": (user.password_hash or "")[-16:]})


def send_password_reset(email, reset_url_for):
    """Email a reset link if an account exists, and commit; do nothing visible otherwise.

    `reset_url_for(token)` builds the absolute link on BASE_URL (the view knows the URL map;
    the request's Host header must not choose where the link points).
    """
    user = find_user(email)
    if user is None or not user.active:
        return
    send_mail(
        user.email,
        _l("Reset your Matchmaker password"),
        "password_reset",
        user=user,
        url=reset_url_for(make_reset_token(user)),
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )
    db.session.commit()


def user_for_reset_token(token):
    """The user a valid token belongs to. Raises InvalidToken otherwise."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired as error:
        raise InvalidToken(_("This reset link has expired. Ask for a new one.")) from error
    except BadSignature as error:
        raise InvalidToken(_("This reset link is not valid. Ask for a new one.")) from error
    user = db.session.get(User, data.get("id"))
    if user is None or (user.password_hash or "")[-16:] != data.get("h"):
        raise InvalidToken(_("This reset link has already been used. Ask for a new one."))
    return user


def reset_password(token, password):
    """Set a new password through a reset token and commit; every login session of the account
    ends (whoever held a copied cookie is logged out). Raises InvalidToken or DomainError."""
    user = user_for_reset_token(token)
    check_password_strength(password)
    user.password_hash = hash_password(password)
    sessions.end_sessions(user)
    if user.email_verified_at is None:
        # The link came to the mailbox: the email is confirmed (invited people start here).
        user.email_verified_at = utcnow()
    db.session.commit()
    return user


def change_password(user, current, new, keep=None):
    """Set `user`'s password to `new` when `current` is the password now, and commit; every
    other login session ends (the one whose token is `keep` stays). Raises DomainError when
    `current` is wrong or `new` too short."""
    _check_current_password(user, current)
    check_password_strength(new)
    user.password_hash = hash_password(new)
    sessions.end_sessions(user, keep=keep)
    db.session.commit()


def _check_current_password(user, password):
    """Raise DomainError unless `password` is `user`'s password now (a step that changes the
    account asks for it again)."""
    try:
        _hasher().verify(user.password_hash or "", password)
    except (VerificationError, InvalidHashError) as error:
        raise DomainError(_("That is not your current password.")) from error


def set_timezone(user, zone):
    """Keep the user's own time zone (an IANA name; "" for none) and commit. Raises
    DomainError for a name this server does not know."""
    zone = (zone or "").strip()
    if zone and not timezones.is_zone(zone):
        raise DomainError(_("Choose a time zone from the list."))
    user.timezone = zone
    db.session.commit()
