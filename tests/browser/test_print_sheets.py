"""Issue 21: a table sheet prints on one A4 page for up to 20 slots, one page per table (it
spilled one row onto a second page: 33 pages for 18 tables)."""

import re

from matchmaker.extensions import db
from matchmaker.models import Meeting, Schedule
from tests.browser.helpers import log_in


def test_each_table_sheet_is_one_a4_page_with_20_slots(
    page, app, make_user, make_event, make_participant
):
    organizer = make_user(email="olga@org.example", name="Olga", role="organizer")
    # 13-minute meetings without gaps: 6 + 5 slots on the first day, 9 on the second = 20.
    event = make_event(organizer=organizer, tables=3, status="agenda_published",
                       meeting_minutes=13, gap_minutes=0)  # fmt: skip
    assert len(event.slots) == 20
    people = [
        make_participant(
            event, make_user(email=f"p{i}@x.example", name=f"Alexandra-Maria Popescu-Ionescu {i}"),
            organisation_name=f"Balkan and Black Sea Precision Agriculture Systems {i}",
        )
        for i in range(44)
    ]  # fmt: skip
    schedule = Schedule(event_id=event.id, version=1, status="published")
    db.session.add(schedule)
    db.session.flush()
    # Table 1 has a meeting in every slot; tables 2 and 3 one each.
    meetings = [(slot, 0) for slot in event.slots] + [(event.slots[0], 1), (event.slots[0], 2)]
    for index, (slot, table) in enumerate(meetings):
        db.session.add(Meeting.between(schedule, slot, people[2 * index], people[2 * index + 1],
                                       table=event.tables[table], source="manual",
                                       code=f"M{index:03d}"))  # fmt: skip
    db.session.commit()

    log_in(page, "olga@org.example")
    page.goto(f"/events/{event.slug}/agenda/tables")
    rows = page.locator("[data-testid=table-sheet]").first.locator("[data-testid=sheet-meeting]")
    assert rows.count() == 20
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 3  # one per table
