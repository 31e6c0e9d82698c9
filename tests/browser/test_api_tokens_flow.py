"""Browser test (issue 24): on a 390 px phone a person makes an API token, copies it, uses it,
and revokes it after a confirmation; the API's reference page reads there too. Nothing comes
from another host. Screenshots go to MATCHMAKER_SHOTS when set."""

import os
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import log_in

SHOTS = os.environ.get("MATCHMAKER_SHOTS")


def _fits(page):
    """No sideways scrolling at the phone's width."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=True)


def test_token_made_shown_once_used_and_revoked_on_a_phone(page, live_server, make_user):
    make_user(email="ana@agro.example", name="Ana Pop")
    log_in(page, "ana@agro.example")  # at the desktop width, where the menu is open
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/account")
    page.get_by_test_id("api-tokens").click()
    page.get_by_label("Name").fill("CRM sync")
    page.get_by_label(re.compile("^Participate")).check()
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_test_id("new-token").locator("code").inner_text()
    _shot(page, "api-token-made")
    assert re.fullmatch(r"mm_[A-Za-z0-9_-]{43}", secret) and _fits(page)

    answer = page.request.get("/api/v1/events", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200

    page.goto("/account/tokens")
    expect(page.get_by_test_id("tokens")).to_contain_text("CRM sync")
    expect(page.locator("body")).not_to_contain_text(secret)
    page.get_by_role("link", name="Revoke…").click()
    expect(page.get_by_role("heading")).to_contain_text("Revoke “CRM sync”?")
    page.get_by_role("button", name="Revoke").click()
    expect(page.locator("body")).to_contain_text("You have no tokens.")
    refused = page.request.get("/api/v1/events", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status == 401

    page.goto("/api/v1/reference")
    expect(page.locator("#problem-validation")).to_be_visible()
    _shot(page, "api-reference")
    assert _fits(page)
    assert page.foreign_requests == []
