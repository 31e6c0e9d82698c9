from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Event, Participant
from matchmaker.services.accounts import create_user
from tests.browser.helpers import log_in
from tests.conftest import PASSWORD


def _add_opportunity(page, kind, title, description):
    page.get_by_role("link", name="Add an opportunity").click()
    page.get_by_label("I…").select_option(kind)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Description").fill(description)
    page.get_by_role("button", name="Save opportunity").click()
    expect(page.get_by_text(f"Saved “{title}”.")).to_be_visible()


def test_organizer_creates_event_and_company_registers_and_finds_a_partner(page, app):
    create_user("olga@cluster.example", "Olga Organizer", PASSWORD, role="organizer")
    log_in(page, "olga@cluster.example")

    page.get_by_role("link", name="New event").click()
    page.get_by_label("Title", exact=True).fill("Danube ICT Matchmaking")
    page.get_by_label("Session 1 day").fill("2027-06-01")
    page.get_by_label("Session 1 from").fill("09:00")
    page.get_by_label("Session 1 to").fill("12:00")
    page.get_by_label("Session 2 day").fill("2027-06-02")
    page.get_by_label("Session 2 from").fill("09:00")
    page.get_by_label("Session 2 to").fill("11:00")
    page.get_by_label("Break 1 day").fill("2027-06-01")
    page.get_by_label("Break 1 from").fill("10:30")
    page.get_by_label("Break 1 to").fill("11:00")
    page.get_by_label("Break 1 title").fill("Coffee")
    page.get_by_label("Meeting length (minutes)").fill("25")
    page.get_by_label("Number of tables").fill("15")
    page.get_by_label("Everyone may see the participants and the marketplace").check()
    page.get_by_role("button", name="Preview slots").click()
    preview = page.get_by_test_id("slot-preview")
    expect(preview).to_contain_text("9 slots × 15 tables")
    expect(preview).to_contain_text("11:00–11:25")
    page.get_by_role("button", name="Save event").click()
    expect(page.get_by_text("created as a draft with 9 slots")).to_be_visible()
    page.get_by_role("button", name="Move to: Registration open").click()
    expect(page.get_by_text("The event is now: Registration open.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # Another company is already registered and approved, with an offer.
    event = db.session.query(Event).one()
    partner = create_user("mo@fieldnode.example", "Marko", PASSWORD)
    from matchmaker.models import Opportunity, Organisation

    db.session.add(
        Participant(
            event=event,
            user=partner,
            status="approved",
            organisation=Organisation(name="FieldNode", country="RS", type="sme"),
            opportunities=[
                Opportunity(kind="offer", category="technology",
                            title="LoRaWAN sensor networks for precision agriculture")
            ],
        )
    )  # fmt: skip
    db.session.commit()

    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Your name").fill("Ion Dumitrescu")
    page.get_by_label("Work email").fill("ion@agrovest.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # Sign-up mails a confirmation link and logs nobody in; an unconfirmed account may still
    # log in, fill its profile and register.
    expect(page.get_by_text("Check your inbox")).to_be_visible()
    page.get_by_label("Email").fill("ion@agrovest.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/events/{event.slug}")
    page.get_by_role("link", name="Register for this event").click()
    expect(page.get_by_text("First tell us about your organisation")).to_be_visible()
    page.get_by_label("Organisation name").fill("AgroVest Cooperative")
    page.get_by_label("Country").select_option("RO")
    page.get_by_label("Type").select_option("sme")
    page.get_by_label("What does your organisation do?").fill("Farmers' cooperative.")
    page.get_by_label("Agritech & IoT").check()
    page.get_by_role("button", name="Save profile").click()
    page.get_by_label("In one line, what are you looking for at this event?").fill("Sensors")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("You are registered.")).to_be_visible()

    _add_opportunity(page, "request", "Soil moisture sensors", "For 400 ha of maize.")
    _add_opportunity(page, "offer", "Pilot farms", "Fields to test new equipment.")
    expect(page.get_by_test_id("opportunity")).to_have_count(2)

    page.get_by_role("link", name="Availability").first.click()
    page.get_by_label("09:00–09:25").first.uncheck()
    page.get_by_label("11:30–11:55").uncheck()
    page.get_by_role("button", name="Save availability").click()
    expect(page.get_by_text("free in 7 of 9 slots")).to_be_visible()

    page.goto(f"/events/{event.slug}/marketplace")
    page.get_by_label("Search").fill("lorawan")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="FieldNode").first.click()
    expect(page.get_by_role("heading", name="FieldNode")).to_be_visible()
    assert page.foreign_requests == []
