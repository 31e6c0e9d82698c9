"""No N+1 queries: the pages that every participant opens run the same number of SQL
statements on an event three times larger (more participants, matches, meetings, requests).

Each page is requested twice per event size and the second request counted, so that one-off
work (the first request's lazy setup) does not blur the comparison.
"""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Interest, Match, Meeting, MeetingRequest, Schedule

SLUG = "ict-days"
WHY = {
    "need_score": 0.5,
    "offer_score": 0.3,
    "profile_score": 0.1,
    "partner_offers": [{"offer_title": "Soil sensors", "request_title": "Field monitoring"}],
    "participant_offers": [{"offer_title": "Crop loans", "request_title": "Farm finance"}],
    "terms": ["sensors", "soil", "loans"],
}
PAGES = {
    "dashboard": "/dashboard",
    "event dashboard": f"/events/{SLUG}/me",
    "agenda": f"/events/{SLUG}/agenda",
    "matches": f"/events/{SLUG}/matches",
    "requests": f"/events/{SLUG}/requests",
    "marketplace": f"/events/{SLUG}/marketplace",
    "participants": f"/events/{SLUG}/participants",
    "event page": f"/events/{SLUG}",
}
ORGANIZER_PAGES = {
    "schedule grid": f"/manage/{SLUG}/schedule/1",
    "registrations": f"/manage/{SLUG}/participants",
}


@pytest.fixture
def config_overrides():
    # Count what rendering the pages costs, not what serving them again from the page cache
    # costs (one query; tests/web/test_page_cache.py).
    return {"PAGE_CACHE_MB": 0}


def build_event(make_user, make_event, make_participant, others):
    """An event with a viewer, an organizer and `others` more participants: every other one
    matched with the viewer and with its neighbour, half of them interested in the viewer, a
    pending request from each third, and a published schedule where the viewer meets one
    partner per slot and the others meet in pairs."""
    organizer = make_user("org@example.com", "Olga Organizer", role="organizer")
    event = make_event(SLUG, organizer=organizer, tables=40, participants_public=False)
    viewer = make_participant(
        event,
        make_user("viewer@example.com", "Vera Viewer"),
        offers=["Drone mapping"],
        requests=["Farm finance"],
    )
    people = [
        make_participant(
            event,
            make_user(f"p{i}@example.com", f"Person {i}"),
            offers=[f"Offer {i}", f"Service {i}"],
            requests=[f"Need {i}"],
            country=("RO", "RS", "BG")[i % 3],
        )
        for i in range(others)
    ]
    for i, person in enumerate(people):
        db.session.add(_match(event, viewer, person, 0.9 - i / 100))
        if i:
            db.session.add(_match(event, people[i - 1], person, 0.5))
        if i % 2 == 0:
            db.session.add(
                Interest(
                    event_id=event.id,
                    participant_id=person.id,
                    target_id=viewer.id,
                    value="interested",
                )
            )
            db.session.add(
                Interest(
                    event_id=event.id,
                    participant_id=viewer.id,
                    target_id=person.id,
                    value="interested",
                )
            )
        if i % 3 == 0:
            db.session.add(
                MeetingRequest(
                    event_id=event.id,
                    sender_id=person.id,
                    receiver_id=viewer.id,
                    message="Let us meet",
                )
            )
    schedule = Schedule(
        event_id=event.id,
        version=1,
        status="published",
        published_at=datetime.now(UTC).replace(tzinfo=None),
    )
    db.session.add(schedule)
    db.session.flush()
    slots, tables = event.slots, event.tables
    for n, (slot, partner) in enumerate(zip(slots, people, strict=False)):
        db.session.add(
            Meeting.between(
                schedule, slot, viewer, partner, tables[0], source="suggestion", code=f"V{n}"
            )
        )
    rest = people[len(slots) :]
    for n in range(0, len(rest) - 1, 2):
        db.session.add(
            Meeting.between(
                schedule,
                slots[0],
                rest[n],
                rest[n + 1],
                tables[1 + n // 2],
                source="suggestion",
                code=f"R{n}",
            )
        )
    db.session.commit()
    return event


def _match(event, first, second, score):
    a, b = sorted((first.id, second.id))
    return Match(
        event_id=event.id, participant_a_id=a, participant_b_id=b, score=score, explanation=WHY
    )


def count_queries(client, url):
    """The number of SQL statements one GET of `url` runs (after a warm-up request), starting
    from an empty session as a real request does: the test's app context keeps one session
    across requests, so what an earlier request happened to load would otherwise be free."""
    assert client.get(url).status_code == 200, url
    db.session.remove()
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, url
    return len(statements)


def page_counts(client, auth, email, pages):
    auth.login(email)
    counts = {name: count_queries(client, url) for name, url in pages.items()}
    auth.logout()
    return counts


@pytest.fixture
def counts_at(app, client, auth, make_user, make_event, make_participant):
    """Query counts per page for an event with `others` participants besides the viewer; the
    database is emptied between sizes."""

    def measure(others):
        build_event(make_user, make_event, make_participant, others)
        counts = page_counts(client, auth, "viewer@example.com", PAGES)
        counts.update(page_counts(client, auth, "org@example.com", ORGANIZER_PAGES))
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        return counts

    return measure


def test_page_queries_do_not_grow_with_event_size(counts_at):
    small = counts_at(6)
    large = counts_at(18)
    grown = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert grown == {}, f"queries per page grew with the event (small, large): {grown}"


def test_agenda_lists_every_meeting_of_the_larger_event(
    app, client, auth, make_user, make_event, make_participant
):
    # The counts above mean something only if the larger event really shows more rows.
    build_event(make_user, make_event, make_participant, 18)
    auth.login("viewer@example.com")
    agenda = client.get(PAGES["agenda"]).text
    matches = client.get(PAGES["matches"]).text
    assert [agenda.count(f"Person {i} Ltd") > 0 for i in range(9)] == [True] * 9
    assert [f"Person {i} Ltd" in matches for i in range(18)] == [True] * 18
