"""The organizer's import and export pages, as an organizer and as everyone else sees them."""

import csv
import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from matchmaker.extensions import db
from matchmaker.models import Opportunity, Participant, User
from tests.conftest import PASSWORD

HEADER = ["Organisation", "Person", "Email", "Country", "Offers", "Needs"]
ROWS = [
    [
        "Smart Sensors SRL",
        "Ana Popescu",
        "ana@sensors.example.com",
        "RO",
        "technology: LoRaWAN sensors; Data analytics",
        "Distributors",
    ],
    ["AgroSoft", "Ion Rusu", "ion@agrosoft.example.com", "MD", "Farm ERP", ""],
    ["Cyber Shield", "Elena Ionescu", "elena@cyber.example.com", "RO", "", ""],
    ["Data Corp", "Paul Marin", "paul@data.example.com", "DE", "", ""],
    ["Edu Hub", "Maria Lungu", "maria@edu.example.com", "MD", "", ""],
    ["Vin SRL", "Dan Vinaru", "dan@vin.example.com", "RO", "", ""],
]


def csv_upload(rows, header=HEADER, filename="participants.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return {"file": (io.BytesIO(buffer.getvalue().encode()), filename)}


def xlsx_upload(rows, header=HEADER, filename="participants.xlsx"):
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return {"file": (buffer, filename)}


def post_big_file(client, content, filename="big.csv"):
    """Post a large upload from memory (the test client would spool it to an unclosed file)."""
    stream, length, boundary = stream_encode_multipart(
        {"file": FileStorage(io.BytesIO(content), filename)}, threshold=len(content) + 1024 * 1024
    )
    return client.post(
        "/manage/ict-days/import",
        input_stream=stream,
        content_length=length,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def login_with_csrf(client, email):
    page = client.get("/auth/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"email": email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/auth/login", data=data).status_code == 302


def participant_count():
    return db.session.scalar(sa.select(sa.func.count(Participant.id)))


@pytest.fixture
def organizer(make_user):
    return make_user(email="org@cluster.example.com", name="Olga Organizer", role="organizer")


@pytest.fixture
def event(make_event, organizer):
    return make_event(organizer=organizer)


@pytest.fixture
def as_organizer(auth, organizer, event):
    auth.login(organizer.email)


def test_import_page_documents_the_columns_and_offers_the_template(client, as_organizer):
    page = client.get("/manage/ict-days/import").text

    assert "Import participants" in page
    assert "<code>country</code></td>\n        <td>Yes</td>" in page
    assert "<code>offers</code></td>\n        <td>No</td>" in page
    assert "the first participant is row 2" in page
    assert 'href="/manage/ict-days/import/template.xlsx"' in page
    assert 'href="/manage/ict-days/import/template.csv"' in page
    assert 'enctype="multipart/form-data"' in page


def test_import_good_csv_then_invited_person_sets_password_and_logs_in(
    client, auth, as_organizer, outbox
):
    response = client.post(
        "/manage/ict-days/import", data=csv_upload(ROWS[:2]), follow_redirects=True
    )

    assert "Imported 2 participants (2 new accounts invited)." in response.text
    assert response.request.path == "/manage/ict-days/participants"
    assert "Smart Sensors SRL" in response.text
    titles = db.session.scalars(sa.select(Opportunity.title).order_by(Opportunity.id)).all()
    assert titles == ["LoRaWAN sensors", "Data analytics", "Distributors", "Farm ERP"]

    invitation = outbox.messages[0]
    assert invitation["To"] == "ana@sensors.example.com"
    assert (
        invitation["Subject"] == "You are registered for ICT Brokerage Days: choose your password"
    )
    body = invitation.get_payload(decode=True).decode()
    assert "Olga Organizer has registered you, for Smart Sensors SRL" in body
    link = next(line for line in body.splitlines() if line.startswith("http"))

    auth.logout()
    client.post(link, data={"password": "my own password", "confirm": "my own password"})
    assert auth.login("ana@sensors.example.com", "my own password").status_code == 302
    assert "ICT Brokerage Days" in client.get("/dashboard").text


def test_import_xlsx_with_bad_seventh_row_shows_row_7_and_imports_nothing(
    client, as_organizer, outbox
):
    rows = [list(row) for row in ROWS]
    rows[5][3] = "XX"  # the 6th participant is spreadsheet row 7
    rows[0][4] = "=1+1"

    response = client.post("/manage/ict-days/import", data=xlsx_upload(rows))

    assert response.status_code == 200
    assert "Nothing was imported. Correct the file and upload it again." in response.text
    assert "<li>Row 7: country &#39;XX&#39; is not an ISO country code or a country name.</li>" in (
        response.text
    )
    assert participant_count() == 0
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1  # the organizer
    assert outbox.messages == []


def test_import_of_the_same_emails_again_names_the_rows(client, as_organizer):
    client.post("/manage/ict-days/import", data=csv_upload(ROWS[:2]))

    response = client.post("/manage/ict-days/import", data=csv_upload(ROWS[:3]))

    assert "<li>Row 2: ana@sensors.example.com is already registered for this event.</li>" in (
        response.text
    )
    assert "<li>Row 3: ion@agrosoft.example.com is already registered for this event.</li>" in (
        response.text
    )
    assert participant_count() == 2


def test_import_names_duplicate_emails(client, as_organizer):
    rows = ROWS[:2] + [["Other", "Ana Two", "Ana@Sensors.example.com", "RO", "", ""]]

    response = client.post("/manage/ict-days/import", data=csv_upload(rows))

    assert "<li>Row 4: email ana@sensors.example.com is also on row 2.</li>" in response.text
    assert participant_count() == 0


def test_import_without_required_columns_says_which(client, as_organizer):
    response = client.post("/manage/ict-days/import", data=csv_upload([["A", "B"]], ["org", "x"]))

    assert "Row 1: unknown column &#39;org&#39;." in response.text
    assert "The file has no column for: organisation, person, email, country." in response.text


def test_import_of_a_too_large_file_says_so(client, as_organizer):
    content = b"organisation,person,email,country\n" + b"x" * (3 * 1024 * 1024)

    response = post_big_file(client, content)

    assert response.status_code == 413
    assert "The file is larger than 2 MiB." in response.text
    assert "Import participants" in response.text
    assert participant_count() == 0


def test_import_of_a_file_just_over_the_limit_says_so(client, as_organizer):
    content = b"x" * (2 * 1024 * 1024 + 1)

    response = post_big_file(client, content)

    assert response.status_code == 200
    assert "The file is larger than 2 MiB." in response.text


def test_import_of_a_text_file_named_xlsx_says_it_is_not_a_workbook(client, as_organizer):
    response = client.post(
        "/manage/ict-days/import", data={"file": (io.BytesIO(b"a,b\n1,2\n"), "people.xlsx")}
    )

    assert "This file is not an XLSX workbook." in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a .csv or .xlsx file to import."),
        ({"file": (io.BytesIO(b"x"), "people.xls")}, "Upload a .csv or .xlsx file."),
    ],
)
def test_import_form_requires_a_csv_or_xlsx_file(client, as_organizer, data, message):
    response = client.post("/manage/ict-days/import", data=data)

    assert message in response.text
    assert participant_count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/manage/ict-days/import",
        "/manage/ict-days/import/template.csv",
        "/manage/ict-days/import/template.xlsx",
        "/manage/ict-days/export/participants.csv",
        "/manage/ict-days/export/participants.xlsx",
        "/manage/ict-days/export/opportunities.csv",
        "/manage/ict-days/export/opportunities.xlsx",
    ],
)
@pytest.mark.parametrize(
    ("who", "expected"),
    [("visitor", 302), ("participant", 404), ("other organizer", 404), ("organizer", 200)],
)
def test_only_organizers_of_this_event_may_import_and_export(
    client, auth, make_user, make_event, make_participant, organizer, event, path, who, expected
):
    if who == "participant":
        make_participant(event, make_user(email="ana@sensors.example.com"))
        auth.login("ana@sensors.example.com")
    elif who == "other organizer":
        other = make_user(email="other@cluster.example.com", role="organizer")
        make_event(slug="other-days", organizer=other)
        auth.login(other.email)
    elif who == "organizer":
        auth.login(organizer.email)

    response = client.get(path)

    assert response.status_code == expected
    if who == "visitor":
        assert response.headers["Location"].startswith("/auth/login?next=")


@pytest.mark.parametrize("who", ["participant", "other organizer"])
def test_others_cannot_post_an_import(client, auth, make_user, make_event, event, who):
    user = make_user(email="x@cluster.example.com", role="organizer")
    if who == "other organizer":
        make_event(slug="other-days", organizer=user)
    auth.login(user.email)

    response = client.post("/manage/ict-days/import", data=csv_upload(ROWS))

    assert response.status_code == 404
    assert participant_count() == 0


def test_unknown_format_is_not_found(client, as_organizer):
    assert client.get("/manage/ict-days/export/participants.xls").status_code == 404


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_import_form_has_csrf_token_and_post_without_it_is_refused(client, organizer, event):
    login_with_csrf(client, organizer.email)
    page = client.get("/manage/ict-days/import").text
    assert 'name="csrf_token"' in page

    response = client.post("/manage/ict-days/import", data=csv_upload(ROWS))

    assert response.status_code == 400
    assert "The form may have expired" in response.text
    assert participant_count() == 0


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_too_large_upload_is_refused_before_csrf_reads_it(client, organizer, event):
    login_with_csrf(client, organizer.email)

    response = post_big_file(client, b"x" * (3 * 1024 * 1024))

    assert response.status_code == 413
    assert "The file is larger than 2 MiB." in response.text


def test_template_downloads_have_header_and_example(client, as_organizer):
    response = client.get("/manage/ict-days/import/template.csv")

    assert response.headers["Content-Disposition"] == (
        "attachment; filename=ict-days-participants-template.csv"
    )
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["organisation", "person", "email", "country"]
    assert rows[1][:4] == ["Smart Sensors SRL", "Ana Popescu", "ana.popescu@example.com", "RO"]

    response = client.get("/manage/ict-days/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [cell.value for cell in sheet[1]][:4] == ["organisation", "person", "email", "country"]


HOSTILE = "=cmd|' /C calc'!A0"


def test_exports_download_with_neutralised_formulas(
    client, as_organizer, event, make_user, make_participant
):
    make_participant(
        event, make_user(email="ana@sensors.example.com"), offers=[HOSTILE], requests=["Pilots"]
    )

    response = client.get("/manage/ict-days/export/opportunities.csv")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=ict-days-opportunities.csv"
    )
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[1][5] == "'" + HOSTILE

    response = client.get("/manage/ict-days/export/opportunities.xlsx")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=ict-days-opportunities.xlsx"
    )
    cell = load_workbook(io.BytesIO(response.data)).active["F2"]
    assert (cell.value, cell.data_type) == ("'" + HOSTILE, "s")

    response = client.get("/manage/ict-days/export/participants.xlsx")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=ict-days-participants.xlsx"
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [cell.value for cell in sheet[2]][:8] == [
        "Ana Popescu Ltd",
        "RO",
        None,
        "SME",
        None,
        None,
        "Ana Popescu",
        "ana@sensors.example.com",
    ]


def test_too_large_upload_by_a_visitor_goes_to_login(client, event):
    response = post_big_file(client, b"x" * (3 * 1024 * 1024))

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_too_large_upload_by_a_participant_reveals_nothing(client, make_user, event):
    make_user(email="ana@sensors.example.com")
    login_with_csrf(client, "ana@sensors.example.com")

    response = post_big_file(client, b"x" * (3 * 1024 * 1024))

    assert response.status_code == 404
    assert "Page not found" in response.text
