from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from matchmaker.services.accounts import MIN_PASSWORD_LENGTH
from matchmaker.webutil import SafeForm


class LoginForm(SafeForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me logged in on this device")
    submit = SubmitField("Log in")


class _NewPasswordMixin:
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=f"The password needs at least {MIN_PASSWORD_LENGTH} characters.",
            ),
        ],
        description=f"At least {MIN_PASSWORD_LENGTH} characters.",
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )


class SignupForm(_NewPasswordMixin, SafeForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        "Work email",
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    # Asked after the name and email (fields show in the order they were made: copies made
    # here come after those two).
    password = PasswordField(**_NewPasswordMixin.password.kwargs, label="Password")
    confirm = PasswordField(**_NewPasswordMixin.confirm.kwargs, label="Repeat the password")
    submit = SubmitField("Create account")


class ResetRequestForm(SafeForm):
    email = EmailField(
        "Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    submit = SubmitField("Send the reset link")


class ResetPasswordForm(_NewPasswordMixin, SafeForm):
    submit = SubmitField("Set the new password")


class LogoutForm(SafeForm):
    submit = SubmitField("Log out")


class ResendVerificationForm(SafeForm):
    submit = SubmitField("Resend")


class ChangePasswordForm(SafeForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    password = PasswordField(
        "New password",
        validators=_NewPasswordMixin.password.kwargs["validators"],
        description=f"At least {MIN_PASSWORD_LENGTH} characters.",
    )
    confirm = PasswordField(
        "Repeat the new password", validators=_NewPasswordMixin.confirm.kwargs["validators"]
    )
    submit = SubmitField("Change the password")


class SignOutElsewhereForm(SafeForm):
    submit = SubmitField("Sign out everywhere else")
