from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from matchmaker.services.accounts import MIN_PASSWORD_LENGTH
from matchmaker.webutil import SafeForm


class LoginForm(SafeForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))
    submit = SubmitField(_l("Log in"))


class _NewPasswordMixin:
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l(
                    "The password needs at least %(num)d characters.", num=MIN_PASSWORD_LENGTH
                ),
            ),
        ],
        description=_l("At least %(num)d characters.", num=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class SignupForm(_NewPasswordMixin, SafeForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("Work email"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    # Asked after the name and email (fields show in the order they were made: copies made
    # here come after those two).
    password = PasswordField(**_NewPasswordMixin.password.kwargs, label=_l("Password"))
    confirm = PasswordField(**_NewPasswordMixin.confirm.kwargs, label=_l("Repeat the password"))
    submit = SubmitField(_l("Create account"))


class ResetRequestForm(SafeForm):
    email = EmailField(
        _l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    submit = SubmitField(_l("Send the reset link"))


class ResetPasswordForm(_NewPasswordMixin, SafeForm):
    submit = SubmitField(_l("Set the new password"))


class LogoutForm(SafeForm):
    submit = SubmitField(_l("Log out"))


class ResendVerificationForm(SafeForm):
    submit = SubmitField(_l("Resend"))


class ChangePasswordForm(SafeForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(
        _l("New password"),
        validators=_NewPasswordMixin.password.kwargs["validators"],
        description=_l("At least %(num)d characters.", num=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        _l("Repeat the new password"), validators=_NewPasswordMixin.confirm.kwargs["validators"]
    )
    submit = SubmitField(_l("Change the password"))


class SignOutElsewhereForm(SafeForm):
    submit = SubmitField(_l("Sign out everywhere else"))
