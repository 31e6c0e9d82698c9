"""The marketplace: search and filters, pagination, detail pages, who sees what."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Opportunity, Organisation, Participant


def titles(page):
    """The opportunity titles listed on a marketplace page, in order."""
    found = re.findall(r'data-testid="opportunity-title"[^>]*>([^<]*)<', page)
    return [html.unescape(title) for title in found]


def organisations(page):
    """The organisation names listed on a marketplace page, in order."""
    found = re.findall(r'data-testid="organisation-name"[^>]*>([^<]*)<', page)
    return [html.unescape(name) for name in found]


def page_link(page, number):
    """The href of the pagination link to page `number`, or None."""
    for href in re.findall(r'class="page-link" href="([^"]+)"', page):
        href = html.unescape(href)
        if parse_qs(urlsplit(href).query).get("page") == [str(number)]:
            return href
    return None


@pytest.fixture
def add_participant(make_user, make_participant):
    """A participant with a real organisation profile and full opportunities.

    opportunities: (kind, category, title, description, keywords) tuples.
    """
    count = 0

    def add(event, name, country="RO", type="sme", sectors=(), opportunities=(), **fields):
        nonlocal count
        count += 1
        user = make_user(
            email=fields.pop("email", f"person{count}@example.com"),
            name=fields.pop("person", f"Person {count}"),
        )
        organisation = Organisation(name=name, country=country, type=type, sectors=list(sectors))
        participant = make_participant(event, user, organisation=organisation, **fields)
        participant.opportunities = [
            Opportunity(kind=k, category=c, title=t, description=d, keywords=w)
            for k, c, t, d, w in opportunities
        ]
        db.session.commit()
        return participant

    return add


@pytest.fixture
def market(make_event, add_participant):
    """An event with three approved participants, hidden registrations, and another event."""
    event = make_event(sectors=["Agritech & IoT", "Cybersecurity", "Agritech"])
    add_participant(
        event,
        "Agro Vest",
        country="RO",
        sectors=["Agritech & IoT"],
        opportunities=[
            ("offer", "technology", "Farm dashboards", "Soil SENSORS and irrigation analytics", ""),
            ("request", "investment", "Seed funding", "We look for investors.", "venture"),
        ],
    )
    add_participant(
        event,
        "Cyber Shield",
        country="BG",
        type="large_company",
        sectors=["Cybersecurity"],
        opportunities=[
            ("offer", "service", "Penetration testing", "Audits for banks.", "pentest"),
            ("request", "partnership", "Resellers in Romania", "Channel partners.", ""),
        ],
    )
    add_participant(
        event,
        "Uni Lab",
        country="MD",
        type="university",
        sectors=["Agritech & IoT", "Cybersecurity"],
        opportunities=[("offer", "rd_cooperation", "Sensor research", "Low-power sensors.", "")],
    )
    for status in ("pending", "rejected", "withdrawn"):
        add_participant(
            event,
            f"Hidden {status}",
            status=status,
            opportunities=[("offer", "service", f"{status} offer", "Sensors for farms.", "")],
        )
    other = make_event(slug="other-days", title="Other Days")
    add_participant(
        other,
        "Elsewhere Ltd",
        opportunities=[("offer", "service", "Elsewhere sensors", "Sensors.", "")],
    )
    return event


ALL_TITLES = [
    "Farm dashboards",
    "Seed funding",
    "Penetration testing",
    "Resellers in Romania",
    "Sensor research",
]


def test_marketplace_lists_only_approved_participants_of_this_event(client, market):
    page = client.get("/events/ict-days/marketplace").text
    assert titles(page) == ALL_TITLES
    assert "5 opportunities" in page
    assert "Hidden" not in page
    assert "Elsewhere" not in page


def test_marketplace_result_shows_kind_category_organisation_and_country(client, market):
    page = client.get("/events/ict-days/marketplace?q=penetration").text
    assert titles(page) == ["Penetration testing"]
    assert organisations(page) == ["Cyber Shield"]
    assert ">Offer<" in page
    assert ">Service<" in page
    assert "Audits for banks." in page
    assert "Bulgaria" in page
    opportunity_id = db.session.scalar(
        sa.select(Opportunity.id).where(Opportunity.title == "Penetration testing")
    )
    assert f'href="/events/ict-days/opportunities/{opportunity_id}"' in page


@pytest.mark.parametrize("q", ["sensors", "SENSORS", "Sensors"])
def test_search_finds_description_words_case_insensitively(client, market, q):
    page = client.get(f"/events/ict-days/marketplace?q={q}").text
    assert titles(page) == ["Farm dashboards", "Sensor research"]
    assert "2 opportunities" in page


def test_search_finds_opportunities_by_organisation_name(client, market):
    page = client.get("/events/ict-days/marketplace?q=cyber shield").text
    assert titles(page) == ["Penetration testing", "Resellers in Romania"]


def test_search_finds_keywords_and_needs_every_word(client, market):
    assert titles(client.get("/events/ict-days/marketplace?q=PENTEST").text) == [
        "Penetration testing"
    ]
    page = client.get("/events/ict-days/marketplace?q=sensors banks").text
    assert titles(page) == []
    assert "No opportunity matches these filters" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=BG", ["Penetration testing", "Resellers in Romania"]),
        ("type=university", ["Sensor research"]),
        (
            "sector=Cybersecurity",
            ["Penetration testing", "Resellers in Romania", "Sensor research"],
        ),
        ("sector=Agritech+%26+IoT", ["Farm dashboards", "Seed funding", "Sensor research"]),
        ("category=investment", ["Seed funding"]),
        ("kind=request", ["Seed funding", "Resellers in Romania"]),
        ("country=RO&kind=offer", ["Farm dashboards"]),
        ("q=sensors&type=university", ["Sensor research"]),
    ],
)
def test_filter_narrows_the_opportunities(client, market, query, expected):
    assert titles(client.get(f"/events/ict-days/marketplace?{query}").text) == expected


def test_sector_filter_matches_whole_sectors_only(client, market):
    # "Agritech" is an event sector of its own; "Agritech & IoT" must not match it.
    page = client.get("/events/ict-days/marketplace?sector=Agritech").text
    assert titles(page) == []
    assert "No opportunity matches these filters" in page


def test_sector_filter_treats_sql_wildcards_literally(client, make_event, add_participant):
    event = make_event(sectors=["AI_data", "AI%"])
    add_participant(
        event, "Look Alike", sectors=["AIxdata"], opportunities=[("offer", "service", "X", "", "")]
    )
    add_participant(
        event, "Exact", sectors=["AI_data"], opportunities=[("offer", "service", "Y", "", "")]
    )
    assert titles(client.get("/events/ict-days/marketplace?sector=AI_data").text) == ["Y"]
    assert titles(client.get("/events/ict-days/marketplace?sector=AI%25").text) == []


def test_filter_choices_come_from_the_event(client, market):
    page = client.get("/events/ict-days/marketplace").text
    countries = re.search(r'<select[^>]*name="country".*?</select>', page, re.S).group(0)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", countries)
    assert options == ["Any country", "Bulgaria", "Moldova", "Romania"]
    sectors = re.search(r'<select[^>]*name="sector".*?</select>', page, re.S).group(0)
    assert [html.unescape(o) for o in re.findall(r"<option[^>]*>([^<]*)</option>", sectors)] == [
        "Any sector",
        "Agritech & IoT",
        "Cybersecurity",
        "Agritech",
    ]
    assert 'value="rd_cooperation"' in page
    assert 'value="large_company"' in page
    assert 'value="request"' in page


def test_unknown_filter_value_is_reported_and_ignored(client, market):
    response = client.get("/events/ict-days/marketplace?country=ZZ&kind=gift&q=sensors")
    assert response.status_code == 200
    assert "Not a valid choice" in response.text
    assert titles(response.text) == ["Farm dashboards", "Sensor research"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [("100%", ["Growth 100% guaranteed"]), ("e_c", ["snake_case linter"]), ("h%e", [])],
)
def test_search_treats_sql_wildcards_literally(client, make_event, add_participant, q, expected):
    event = make_event()
    add_participant(
        event,
        "Wild Cards",
        opportunities=[
            ("offer", "service", title, "", "")
            for title in ("Growth 100% guaranteed", "snake_case linter", "Free cheese")
        ],
    )
    page = client.get("/events/ict-days/marketplace", query_string={"q": q}).text
    assert titles(page) == expected


def test_empty_search_says_how_to_clear_the_filters(client, market):
    page = client.get("/events/ict-days/marketplace?q=submarines&country=RO").text
    assert "No opportunity matches these filters" in page
    assert 'href="/events/ict-days/marketplace">Clear filters</a>' in page


def test_empty_marketplace_says_opportunities_come_with_approval(client, make_event):
    make_event()
    page = client.get("/events/ict-days/marketplace").text
    assert "No opportunities yet" in page
    assert "once the organizer approves" in page


@pytest.mark.parametrize("config_overrides", [{"PAGE_SIZE": 2}])
def test_pagination_keeps_the_filters(client, make_event, add_participant):
    event = make_event()
    for n in range(5):
        add_participant(
            event,
            f"Romanian {n}",
            country="RO",
            opportunities=[
                ("offer", "service", f"RO offer {n}", "", ""),
                ("request", "service", f"RO request {n}", "", ""),
            ],
        )
    for n in range(3):
        add_participant(
            event,
            f"Bulgarian {n}",
            country="BG",
            opportunities=[("offer", "service", "BG", "", "")],
        )

    url, seen = "/events/ict-days/marketplace?country=RO&kind=offer", []
    first = client.get(url).text
    assert "5 opportunities" in first
    page, number = first, 1
    while True:
        assert len(titles(page)) <= 2
        seen += titles(page)
        number += 1
        link = page_link(page, number)
        if link is None:
            break
        assert "country=RO" in link
        assert "kind=offer" in link
        page = client.get(link).text
    assert seen == [f"RO offer {n}" for n in range(5)]


@pytest.mark.parametrize("page", ["99", "0", "-3", "x", "99999999999999999999999"])
def test_odd_page_numbers_are_not_errors(client, market, page):
    assert client.get(f"/events/ict-days/marketplace?page={page}").status_code == 200


@pytest.mark.parametrize("config_overrides", [{"PAGE_SIZE": 2}])
def test_participants_view_filters_and_paginates(client, market):
    first = client.get("/events/ict-days/participants?sector=Cybersecurity").text
    assert "2 participants" in first
    assert organisations(first) == ["Cyber Shield", "Uni Lab"]
    assert "Hidden" not in first
    page = client.get("/events/ict-days/participants?sector=Agritech+%26+IoT").text
    assert organisations(page) == ["Agro Vest", "Uni Lab"]
    page = client.get("/events/ict-days/participants?q=sensors").text  # in an opportunity
    assert organisations(page) == ["Agro Vest", "Uni Lab"]
    page = client.get("/events/ict-days/participants").text
    assert organisations(page) == ["Agro Vest", "Cyber Shield"]
    link = page_link(page, 2)
    assert organisations(client.get(link).text) == ["Uni Lab"]


def test_participants_view_empty_state_offers_to_clear(client, market):
    page = client.get("/events/ict-days/participants?country=RO&type=university").text
    assert "No participant matches these filters" in page
    assert 'href="/events/ict-days/participants">Clear filters</a>' in page


def test_tabs_keep_the_shared_filters(client, market):
    page = client.get("/events/ict-days/marketplace?q=sensors&country=RO&kind=offer").text
    tab = re.search(r'href="([^"]*/participants[^"]*)">Participants</a>', page).group(1)
    tab = html.unescape(tab)
    assert tab.startswith("/events/ict-days/participants?")
    assert "q=sensors" in tab
    assert "country=RO" in tab
    assert "kind" not in tab
    assert organisations(client.get(tab).text) == ["Agro Vest"]


def _participant_id(name):
    return db.session.scalar(
        sa.select(Participant.id).join(Participant.organisation).where(Organisation.name == name)
    )


def _opportunity_id(title):
    return db.session.scalar(sa.select(Opportunity.id).where(Opportunity.title == title))


def test_participant_page_shows_the_profile_and_opportunities(client, make_event, add_participant):
    event = make_event()
    participant = add_participant(
        event,
        "Agro Vest",
        country="RO",
        sectors=["Agritech & IoT"],
        person="Ana Popescu",
        looking_for="Distributors in the Balkans",
        opportunities=[
            ("offer", "technology", "Farm dashboards", "Soil sensors.", ""),
            ("request", "investment", "Seed funding", "", ""),
        ],
    )
    organisation = participant.organisation
    organisation.city, organisation.size = "Timișoara", "10-49"
    organisation.website, organisation.description = "https://agrovest.example", "We grow data."
    participant.user.job_title = "CEO"
    db.session.commit()

    page = client.get(f"/events/ict-days/participants/{participant.id}").text
    for text in (
        "Agro Vest",
        "SME",
        "10-49 employees",
        "Timișoara, Romania",
        'href="https://agrovest.example"',
        "Agritech &amp; IoT",
        "We grow data.",
        "Ana Popescu",
        "CEO",
        "Distributors in the Balkans",
        "Farm dashboards",
        "Seed funding",
    ):
        assert text in page
    assert f'href="/events/ict-days/opportunities/{_opportunity_id("Seed funding")}"' in page


def test_participant_website_is_a_link_only_when_it_is_http(client, make_event, add_participant):
    participant = add_participant(make_event(), "Sly Ltd")
    participant.organisation.website = "javascript:alert(1)"
    db.session.commit()
    page = client.get(f"/events/ict-days/participants/{participant.id}").text
    assert "javascript:alert(1)" in page
    assert 'href="javascript:' not in page


def test_participant_contact_is_shown_to_organizers_only(
    client, auth, make_user, make_event, add_participant
):
    organizer = make_user(email="org@example.com", name="Olga", role="organizer")
    make_user(email="stranger@example.com", name="Stranger", role="organizer")
    event = make_event(organizer=organizer)
    ana = add_participant(event, "Agro Vest", email="ana@example.com")
    ana.user.phone = "+40 721 000 111"
    db.session.commit()
    add_participant(event, "Cyber Shield", email="bo@example.com")
    url = f"/events/ict-days/participants/{ana.id}"

    page = client.get(url).text
    assert "Agro Vest" in page
    assert "ana@example.com" not in page
    assert "+40 721 000 111" not in page
    for email in ("bo@example.com", "stranger@example.com", "ana@example.com"):
        auth.login(email)
        page = client.get(url).text
        assert "ana@example.com" not in page
        assert "+40 721 000 111" not in page
        auth.logout()
    auth.login("org@example.com")
    page = client.get(url).text
    assert 'href="mailto:ana@example.com"' in page
    assert "+40 721 000 111" in page


def test_participant_actions_area_is_for_other_participants(
    client, auth, make_event, add_participant
):
    event = make_event()
    ana = add_participant(event, "Agro Vest", email="ana@example.com")
    add_participant(event, "Cyber Shield", email="bo@example.com")
    url = f"/events/ict-days/participants/{ana.id}"
    assert 'data-testid="participant-actions"' not in client.get(url).text
    auth.login("bo@example.com")
    assert 'data-testid="participant-actions"' in client.get(url).text
    auth.logout()
    auth.login("ana@example.com")
    page = client.get(url).text
    assert 'data-testid="participant-actions"' not in page
    assert "This is your registration" in page


def test_participant_page_is_404_outside_the_approved_of_this_event(client, market):
    for name in ("Hidden pending", "Hidden rejected", "Hidden withdrawn", "Elsewhere Ltd"):
        url = f"/events/ict-days/participants/{_participant_id(name)}"
        assert client.get(url).status_code == 404, name
    assert client.get("/events/ict-days/participants/999999").status_code == 404
    elsewhere = _participant_id("Elsewhere Ltd")
    assert client.get(f"/events/other-days/participants/{elsewhere}").status_code == 200


def test_opportunity_page_shows_it_in_full_with_its_organisation(
    client, make_event, add_participant
):
    event = make_event()
    participant = add_participant(
        event,
        "Agro Vest",
        country="RO",
        person="Ana Popescu",
        opportunities=[
            (
                "offer",
                "technology",
                "Farm dashboards",
                "Line one.\nLine two " + "x" * 300,
                "iot, soil",
            ),
            ("request", "investment", "Seed funding", "", ""),
        ],
    )
    page = client.get(f"/events/ict-days/opportunities/{_opportunity_id('Farm dashboards')}").text
    for text in (
        "Farm dashboards",
        "Offer",
        "Technology",
        "Line two " + "x" * 300,
        ">iot<",
        ">soil<",
    ):
        assert text in page
    assert "Agro Vest" in page
    assert "Ana Popescu" in page
    assert "Romania" in page
    assert f'href="/events/ict-days/participants/{participant.id}"' in page
    assert "More from Agro Vest" in page
    assert "Seed funding" in page


def test_opportunity_page_is_404_outside_the_approved_of_this_event(client, market):
    for title in ("pending offer", "rejected offer", "withdrawn offer", "Elsewhere sensors"):
        url = f"/events/ict-days/opportunities/{_opportunity_id(title)}"
        assert client.get(url).status_code == 404, title
    assert client.get("/events/ict-days/opportunities/999999").status_code == 404
    elsewhere = _opportunity_id("Elsewhere sensors")
    assert client.get(f"/events/other-days/opportunities/{elsewhere}").status_code == 200


def _marketplace_paths():
    return [
        "/events/ict-days/marketplace",
        "/events/ict-days/participants",
        f"/events/ict-days/participants/{_participant_id('Agro Vest')}",
        f"/events/ict-days/opportunities/{_opportunity_id('Farm dashboards')}",
    ]


def test_private_marketplace_is_for_organizers_and_approved_participants(
    client, auth, make_user, make_event, add_participant
):
    organizer = make_user(email="org@example.com", name="Olga", role="organizer")
    make_user(email="stranger@example.com", name="Stranger", role="organizer")
    event = make_event(organizer=organizer, participants_public=False)
    add_participant(
        event,
        "Agro Vest",
        email="ana@example.com",
        opportunities=[("offer", "service", "Farm dashboards", "", "")],
    )
    add_participant(event, "Waiting Ltd", email="wait@example.com", status="pending")
    paths = _marketplace_paths()
    expected = {
        None: 404,
        "wait@example.com": 404,
        "stranger@example.com": 404,
        "ana@example.com": 200,
        "org@example.com": 200,
    }
    for email, status in expected.items():
        if email:
            auth.login(email)
        assert [client.get(path).status_code for path in paths] == [status] * 4, email
        if email:
            auth.logout()
    auth.login("org@example.com")
    assert "Farm dashboards" in client.get(paths[0]).text


def test_draft_event_marketplace_is_404_to_all_but_its_organizers(
    client, auth, make_user, make_event, add_participant
):
    organizer = make_user(email="org@example.com", name="Olga", role="organizer")
    event = make_event(organizer=organizer, status="draft")
    add_participant(
        event, "Agro Vest", opportunities=[("offer", "service", "Farm dashboards", "", "")]
    )
    paths = _marketplace_paths()
    assert [client.get(path).status_code for path in paths] == [404] * 4
    auth.login("org@example.com")
    assert [client.get(path).status_code for path in paths] == [200] * 4


def test_unknown_event_marketplace_is_404(client):
    assert client.get("/events/nowhere/marketplace").status_code == 404


def test_listings_run_the_same_queries_whatever_the_number_of_results(
    client, make_event, add_participant
):
    event = make_event(sectors=["Cybersecurity"])

    def count_queries(path):
        statements = []

        def record(*args):
            statements.append(args[2])

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get(path).status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    def grow(first, last):
        for n in range(first, last):
            add_participant(
                event,
                f"Org {n:02}",
                opportunities=[
                    ("offer", "service", f"Offer {n}", "", ""),
                    ("request", "service", f"Need {n}", "", ""),
                ],
            )

    grow(0, 2)
    small = [
        count_queries(p) for p in ("/events/ict-days/marketplace", "/events/ict-days/participants")
    ]
    grow(2, 12)
    large = [
        count_queries(p) for p in ("/events/ict-days/marketplace", "/events/ict-days/participants")
    ]
    assert large == small
