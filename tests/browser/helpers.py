"""Steps the browser tests share: logging in and out, and the link a mail carried."""

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def log_in(page, email, password=PASSWORD):
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def link_mailed_to(outbox, email):
    """The first link in the newest mail to `email`."""
    body = [m for m in outbox.messages if m["To"] == email][-1].get_payload(decode=True).decode()
    return re.search(r"https?://\S+", body).group(0)
