"""The only door to outgoing email.

In development and tests (MAIL_BACKEND = "outbox") each message is written as an .eml file to
the outbox folder of the instance, so a developer can read what would have been sent.
"""

import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from uuid import uuid4

from flask import current_app, has_request_context, render_template


def send_mail(to, subject, template, **context):
    """Render templates/email/<template>.txt with `context` and send it to `to` (an address).

    Returns the EmailMessage that was delivered. SMTP failures propagate (smtplib errors).
    """
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid4()}@matchmaker>"
    message.set_content(_render(f"email/{template}.txt", context))

    if current_app.config["MAIL_BACKEND"] == "smtp":
        _send_smtp(message)
    else:
        _write_outbox(message)
    return message


def _render(template, context):
    """Render in a request context so links are absolute; outside a request (CLI commands)
    the links point at BASE_URL."""
    if has_request_context():
        return render_template(template, **context)
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return render_template(template, **context)


def _write_outbox(message):
    outbox = Path(current_app.config["OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    (outbox / f"{stamp}-{uuid4().hex[:8]}.eml").write_bytes(bytes(message))


def _send_smtp(message):
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
