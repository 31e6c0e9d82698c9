"""Issue 17 (d): at 390 px the agenda and the matches page scroll neither the page nor any box
sideways (a wide table in a scroller hides its columns just the same), and the breaks show
between the meetings. Set MATCHMAKER_SHOTS=<folder> to keep screenshots at 1280 and 390 px
of the inbox, a thread, the agenda and the matches page."""

import os
from pathlib import Path

from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Match, Meeting, MeetingRequest, Schedule
from matchmaker.models.inbox import Message
from matchmaker.services import inbox
from tests.browser.helpers import log_in

# Every element that scrolls sideways (overflow-x auto or scroll, content wider than the box),
# and whether the page itself is wider than the window.
OVERFLOW = """() => {
  const boxes = [];
  for (const el of document.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      boxes.push(el.tagName + '.' + el.className);
    }
  }
  return {page: document.documentElement.scrollWidth - window.innerWidth, boxes};
}"""
WHY = {
    "partner_offers": [{"offer_title": "Soil moisture sensors with LoRaWAN gateways",
                        "request_title": "Field monitoring for 4,000 hectares"}],
    "participant_offers": [{"offer_title": "Crop loans for precision farming equipment",
                            "request_title": "Finance for sensor roll-out"}],
    "terms": ["sensors", "soil", "irrigation", "agritech", "financing"],
}  # fmt: skip


def _world(make_user, make_event, make_participant):
    event = make_event(status="agenda_published")
    ana = make_participant(
        event, make_user(email="ana@agro.example", name="Ana Popescu-Ionescu"),
        organisation_name="AgroVest Capital Partners for Sustainable Agriculture",
        offers=["Crop loans for precision farming equipment"],
    )  # fmt: skip
    partners = [
        make_participant(
            event,
            make_user(email=f"p{i}@field.example", name=f"Partner {i}"),
            organisation_name=f"FieldNode Precision Agriculture Systems {i}",
            country="RS",
            offers=["Soil moisture sensors"],
        )  # fmt: skip
        for i in range(3)
    ]
    schedule = Schedule(event_id=event.id, version=1, status="published")
    db.session.add(schedule)
    db.session.flush()
    for i, partner in enumerate(partners):
        first, second = sorted((ana, partner), key=lambda p: p.id)
        db.session.add(
            Match(
                event_id=event.id,
                participant_a_id=first.id,
                participant_b_id=second.id,
                score=0.5 - i / 10,
                explanation=WHY,
            )
        )
        db.session.add(Meeting.between(schedule, event.slots[i * 2], ana, partner,
                                       table=event.tables[i], source="request",
                                       code=f"K{i}X9"))  # fmt: skip
    db.session.add(MeetingRequest(event_id=event.id, sender_id=partners[0].id,
                                  receiver_id=ana.id))  # fmt: skip
    db.session.add(Message(event_id=event.id, sender_id=partners[0].id, receiver_id=ana.id,
                           body="Looking forward to it. Shall we bring the sensor kit to the "
                                "table, or would a short video do?"))  # fmt: skip
    inbox.add_notice(ana.user, "booking", "Your meeting with FieldNode 1 is booked at 09:30.",
                     f"/events/{event.slug}/agenda", event)  # fmt: skip
    db.session.commit()
    return event, ana, partners


def test_agenda_and_matches_do_not_overflow_at_390_px(
    page, app, make_user, make_event, make_participant
):
    event, ana, partners = _world(make_user, make_event, make_participant)
    log_in(page, "ana@agro.example")
    shots = os.environ.get("MATCHMAKER_SHOTS")
    pages = {
        "agenda": f"/events/{event.slug}/agenda",
        "matches": f"/events/{event.slug}/matches",
        "inbox": "/inbox",
        "thread": f"/events/{event.slug}/messages/{partners[0].id}",
    }
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(url)
            if name == "agenda":
                expect(page.get_by_test_id("break").first).to_contain_text("Break")
                expect(page.get_by_test_id("meeting")).to_have_count(3)
            if name == "matches":
                expect(page.get_by_test_id("match")).to_have_count(3)
            overflow = page.evaluate(OVERFLOW)
            assert overflow == {"page": 0, "boxes": []}, f"{name} at {width} px: {overflow}"
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)
    assert page.foreign_requests == []


def test_a_pasted_long_description_is_refused_with_the_limit_not_cut(
    page, app, make_user, make_event, make_participant
):
    event, ana, _ = _world(make_user, make_event, make_participant)
    ana.user.organisation = ana.organisation
    db.session.commit()
    log_in(page, "ana@agro.example")
    page.goto("/profile")
    page.get_by_label("What does your organisation do?").fill("Soil. " * 3400)  # 20,400
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("At most 5,000 characters (you wrote 20,")).to_be_visible()
    db.session.refresh(ana.organisation)
    assert ana.organisation.description == ""
