"""Importing participants from CSV/XLSX (all or nothing) and exporting them safely."""

import csv
import io
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from matchmaker.extensions import db
from matchmaker.models import Opportunity, Organisation, Participant, User
from matchmaker.services import exports, imports
from matchmaker.services.errors import NotAllowed
from matchmaker.services.imports import ImportRejected

HEADER = ["organisation", "person", "email", "country", "type", "offers", "needs"]
GOOD_ROWS = [
    [
        "Smart Sensors SRL",
        "Ana Popescu",
        "ana@sensors.example.com",
        "RO",
        "SME",
        "technology: LoRaWAN sensors; Data analytics",
        "partnership: Distributors in Moldova",
    ],
    [
        "AgroSoft",
        "Ion Rusu",
        "ion@agrosoft.example.com",
        "Moldova",
        "company",
        "Farm ERP\nR&D cooperation: Yield models",
        "",
    ],
    ["Prishtina Tech", "Arta Krasniqi", "arta@pt.example.com", "XK", "University", "", "Pilots"],
    ["Smart Sensors SRL", "Mihai Pop", "mihai@sensors.example.com", "ro", "", "", ""],
    ["Cyber Shield", "Elena Ionescu", "elena@cyber.example.com", "RO", "sme", "", ""],
    ["Data Corp", "Paul Marin", "paul@data.example.com", "DE", "large_company", "", ""],
    ["Edu Hub", "Maria Lungu", "maria@edu.example.com", "MD", "Other", "", ""],
]


def counts():
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (User, Organisation, Participant, Opportunity)
    )


def csv_file(rows, header=HEADER, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(buffer.getvalue().encode(encoding))


def xlsx_file(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def organizer(make_user):
    return make_user(email="org@cluster.example.com", name="Olga Organizer", role="organizer")


@pytest.fixture
def event(app, make_event, organizer):
    with app.test_request_context():  # invitation emails build absolute links
        yield make_event(organizer=organizer)


def run_import(event, organizer, data, filename="participants.csv"):
    return imports.import_participants(event, filename, data, by=organizer)


def test_import_csv_creates_organisations_people_and_opportunities(event, organizer, outbox):
    result = run_import(event, organizer, csv_file(GOOD_ROWS))

    assert (result.participants, result.new_accounts, result.organisations_created) == (7, 7, 6)
    ana = db.session.scalar(sa.select(User).where(User.email == "ana@sensors.example.com"))
    assert ana.password_hash is None
    participant = db.session.scalar(sa.select(Participant).where(Participant.user == ana))
    assert participant.status == "approved"
    assert participant.organisation.type == "sme"
    assert [(o.kind, o.category, o.title) for o in participant.opportunities] == [
        ("offer", "technology", "LoRaWAN sensors"),
        ("offer", "service", "Data analytics"),
        ("request", "partnership", "Distributors in Moldova"),
    ]
    ion = db.session.scalar(sa.select(User).where(User.email == "ion@agrosoft.example.com"))
    assert ion.organisation.country == "MD"
    ion_offers = db.session.execute(
        sa.select(Opportunity.category, Opportunity.title)
        .join(Participant)
        .where(Participant.user_id == ion.id)
        .order_by(Opportunity.id)
    ).all()
    assert [tuple(row) for row in ion_offers] == [
        ("service", "Farm ERP"),
        ("rd_cooperation", "Yield models"),
    ]
    kosovo = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Prishtina Tech"))
    assert (kosovo.country, kosovo.type) == ("XK", "university")
    # "Smart Sensors SRL" in RO twice (once written "ro"): one organisation, two people.
    sensors = db.session.scalars(
        sa.select(Organisation).where(Organisation.name == "Smart Sensors SRL")
    ).all()
    assert len(sensors) == 1
    assert len(outbox.messages) == 7
    assert sorted(message["To"] for message in outbox.messages)[0] == "ana@sensors.example.com"


def test_import_csv_with_bad_seventh_row_imports_nothing_and_names_row_7(event, organizer, outbox):
    rows = [list(row) for row in GOOD_ROWS[:6]]
    rows[5][3] = "XX"  # the 6th participant is spreadsheet row 7
    before = counts()

    with pytest.raises(ImportRejected) as rejected:
        run_import(event, organizer, csv_file(rows))

    assert rejected.value.problems == [
        "Row 7: country 'XX' is not an ISO country code or a country name."
    ]
    assert counts() == before
    assert outbox.messages == []


def test_import_xlsx_with_bad_seventh_row_imports_nothing_and_names_row_7(event, organizer, outbox):
    rows = [list(row) for row in GOOD_ROWS[:6]]
    rows[0][5] = '=HYPERLINK("http://evil.example.com","click")'
    rows[5][2] = "not-an-email"
    before = counts()

    with pytest.raises(ImportRejected) as rejected:
        run_import(event, organizer, xlsx_file(rows), "participants.xlsx")

    assert rejected.value.problems == ["Row 7: email 'not-an-email' is not a valid address."]
    assert counts() == before
    assert outbox.messages == []


def test_import_xlsx_never_runs_or_keeps_a_formula(event, organizer):
    header = HEADER + ["description", "phone"]
    rows = [
        [
            "Smart Sensors SRL",
            "Ana Popescu",
            "ana@sensors.example.com",
            "RO",
            "SME",
            '=HYPERLINK("http://evil.example.com","click")',
            "",
            "=1+1",
            40721000000,
        ],
    ]

    run_import(event, organizer, xlsx_file(rows, header), "participants.xlsx")

    organisation = db.session.scalar(sa.select(Organisation))
    assert organisation.description == ""  # a formula without a saved value arrives empty
    assert db.session.scalar(sa.select(sa.func.count(Opportunity.id))) == 0
    assert db.session.scalar(sa.select(User.phone).where(User.role == "participant")) == (
        "40721000000"
    )


def test_import_reuses_existing_user_and_organisation(event, organizer, make_user, outbox):
    ana = make_user(email="ana@sensors.example.com", name="Ana P.")
    existing = Organisation(name="SMART SENSORS srl", country="RO", type="sme")
    db.session.add(existing)
    db.session.commit()

    result = run_import(event, organizer, csv_file(GOOD_ROWS[:1] + GOOD_ROWS[3:4]))

    assert (result.participants, result.new_accounts, result.organisations_created) == (2, 1, 0)
    assert ana.organisation == existing
    assert ana.name == "Ana P."
    # Mihai is invited to choose a password; Ana, whose account exists, hears she is registered.
    subjects = {message["To"]: message["Subject"] for message in outbox.messages}
    assert sorted(subjects) == ["ana@sensors.example.com", "mihai@sensors.example.com"]
    assert subjects["ana@sensors.example.com"] == f"You are registered for {event.title}"


def test_import_refuses_emails_already_registered_for_the_event(
    event, organizer, make_user, make_participant
):
    make_participant(event, make_user(email="ion@agrosoft.example.com", name="Ion"))
    before = counts()

    with pytest.raises(ImportRejected) as rejected:
        run_import(event, organizer, csv_file(GOOD_ROWS[:3]))

    assert rejected.value.problems == [
        "Row 3: ion@agrosoft.example.com is already registered for this event."
    ]
    assert counts() == before


def test_import_twice_refuses_every_row_the_second_time(event, organizer):
    run_import(event, organizer, csv_file(GOOD_ROWS[:2]))

    with pytest.raises(ImportRejected) as rejected:
        run_import(event, organizer, csv_file(GOOD_ROWS[:2]))

    assert rejected.value.problems == [
        "Row 2: ana@sensors.example.com is already registered for this event.",
        "Row 3: ion@agrosoft.example.com is already registered for this event.",
    ]


def test_import_names_duplicate_emails_within_the_file(event, organizer):
    rows = GOOD_ROWS[:3] + [["Other", "Ana Again", "ANA@sensors.example.com", "RO", "", "", ""]]

    with pytest.raises(ImportRejected) as rejected:
        run_import(event, organizer, csv_file(rows))

    assert rejected.value.problems == ["Row 5: email ana@sensors.example.com is also on row 2."]


def test_import_lists_every_bad_row_with_its_problems(event, organizer, make_event):
    header = ["organisation", "person", "email", "country", "type", "sectors", "size", "website"]
    rows = [
        ["Good SRL", "Ana", "ana@good.example.com", "RO", "", "Cybersecurity", "10-49", ""],
        ["", "Ion", "", "RO", "", "", "", ""],
        ["Bad Type", "Eva", "eva@x.example.com", "RO", "startup", "", "", ""],
        ["Far Sector", "Dan", "dan@x.example.com", "RO", "", "Cybersecurity; Knitting", "", ""],
        ["X" * 201, "Lia", "lia@x.example.com", "RO", "", "", "huge", "javascript:alert(1)"],
    ]

    with pytest.raises(ImportRejected) as rejected:
        run_import(event, organizer, csv_file(rows, header))

    problems = rejected.value.problems
    assert problems[:4] == [
        "Row 3: organisation is missing; email is missing.",
        "Row 4: type 'startup' is not one of: Company, SME, Large company, University, "
        "Research organisation, Public body, Cluster, Other.",
        "Row 5: unknown sector 'Knitting' (see the sectors allowed below).",
        "Row 6: organisation is longer than 200 characters (201); size 'huge' is not one of: "
        "1-9, 10-49, 50-249, 250+; website 'javascript:alert(1)' is not a web address.",
    ]
    assert problems[4].startswith("The sectors allowed are: Software development & outsourcing;")
    assert len(problems) == 5


def test_import_accepts_the_events_own_sectors(app, organizer, make_event):
    event = make_event(slug="agri", organizer=organizer, sectors=["Vineyards"])
    rows = [["Vin SRL", "Ana", "ana@vin.example.com", "RO", "", "vineyards; CYBERSECURITY"]]
    header = ["organisation", "person", "email", "country", "type", "sectors"]

    with app.test_request_context():
        run_import(event, organizer, csv_file(rows, header))

    assert db.session.scalar(sa.select(Organisation.sectors)) == ["Vineyards", "Cybersecurity"]


def test_import_reads_semicolon_csv_in_windows_1250_with_any_header_case(event, organizer):
    header = ["Organisation", "Person", "E-mail", "Country", "Job Title"]
    header[2] = "EMAIL"
    rows = [["Ştiinţa SRL", "Ştefan Ţurcan", "stefan@stiinta.example.com", "Romania", "CEO"]]

    run_import(event, organizer, csv_file(rows, header, delimiter=";", encoding="cp1250"))

    user = db.session.scalar(sa.select(User).where(User.email == "stefan@stiinta.example.com"))
    assert (user.name, user.job_title, user.organisation.name) == (
        "Ştefan Ţurcan",
        "CEO",
        "Ştiinţa SRL",
    )


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("p.csv", b"", "The file is empty. Start from the template on this page."),
        (
            "p.csv",
            b"organisation,person,email,country\n",
            "The file has column names but no participant rows.",
        ),
        (
            "p.csv",
            b"organisation,name\nA,B\n",
            "The file has no column for: email, country. "
            "Row 1 must hold the column names, as in the template.",
        ),
        (
            "p.csv",
            b"\x81\x83\x90,\x98\n",
            "The file's characters could not be read. In Excel "
            "choose Save As \u203a CSV UTF-8, or upload the .xlsx file.",
        ),
        (
            "p.xlsx",
            b"organisation,person\n",
            "This file is not an XLSX workbook. Save it from "
            "Excel or LibreOffice as .xlsx, or upload a CSV file.",
        ),
        (
            "p.xls",
            b"\xd0\xcf\x11\xe0",
            "Upload a .csv or .xlsx file (save older .xls files as .xlsx).",
        ),
    ],
)
def test_import_refuses_unreadable_files_with_a_clear_message(
    event, organizer, filename, content, message
):
    with pytest.raises(ImportRejected) as rejected:
        run_import(event, organizer, io.BytesIO(content), filename)

    assert rejected.value.problems == [message]


def test_import_refuses_unknown_columns(event, organizer):
    with pytest.raises(ImportRejected) as rejected:
        run_import(event, organizer, csv_file([], HEADER + ["ofers"]))

    assert rejected.value.problems == [
        "Row 1: unknown column 'ofers'. The columns are: organisation, person, email, country, "
        "city, type, size, sectors, website, description, looking_for, offers, needs, phone, "
        "job_title."
    ]


def test_import_refuses_a_file_over_the_size_limit(event, organizer):
    content = b"organisation,person,email,country\n" + b"x" * imports.MAX_FILE_BYTES

    with pytest.raises(ImportRejected) as rejected:
        run_import(event, organizer, io.BytesIO(content))

    assert rejected.value.problems == [
        "The file is larger than 2 MiB. Split it into several files and import them one after "
        "the other."
    ]


def test_import_refuses_more_rows_than_the_limit(event, organizer):
    rows = [["O", "P", f"p{n}@x.example.com", "RO"] for n in range(imports.MAX_ROWS + 1)]
    before = counts()

    with pytest.raises(ImportRejected) as rejected:
        run_import(event, organizer, csv_file(rows, HEADER[:4]))

    assert rejected.value.problems == [
        "The file has more than 5,000 participant rows. Split it into several files and import "
        "them one after the other."
    ]
    assert counts() == before


def test_import_refuses_a_zip_that_unpacks_to_too_much(event, organizer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (imports.MAX_UNPACKED_BYTES + 1))
    buffer.seek(0)
    assert len(buffer.getvalue()) < imports.MAX_FILE_BYTES

    with pytest.raises(ImportRejected) as rejected:
        run_import(event, organizer, buffer, "bomb.xlsx")

    assert rejected.value.problems == [
        "The XLSX file unpacks to more than 50 MiB. Remove other sheets, images and formatting, "
        "or upload a CSV file."
    ]


def test_import_refuses_a_zip_that_is_not_a_workbook(event, organizer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    buffer.seek(0)

    with pytest.raises(ImportRejected) as rejected:
        run_import(event, organizer, buffer, "p.xlsx")

    assert rejected.value.problems == [
        "The file could not be read as an XLSX workbook. Save it again from Excel or "
        "LibreOffice as .xlsx, or upload a CSV file."
    ]


def test_import_by_someone_who_does_not_organize_the_event_is_refused(event, make_user):
    stranger = make_user(email="other@cluster.example.com", role="organizer")

    with pytest.raises(NotAllowed):
        run_import(event, stranger, csv_file(GOOD_ROWS))

    assert counts()[2] == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_has_the_columns_and_an_example_that_imports(event, organizer, fmt):
    data, mimetype, filename = imports.template(event, fmt)

    assert filename == f"ict-days-participants-template.{fmt}"
    result = run_import(event, organizer, io.BytesIO(data), filename)

    assert result.participants == 1
    organisation = db.session.scalar(sa.select(Organisation))
    assert (organisation.name, organisation.size) == ("Smart Sensors SRL", "10-49")
    assert organisation.sectors == [
        "Software development & outsourcing",
        "ERP, CRM & business software",
    ]


# ---------------------------------------------------------------------------------------------
# Exports

HOSTILE = "=cmd|' /C calc'!A0"


@pytest.fixture
def exported_event(event, make_user, make_participant):
    make_participant(
        event,
        make_user(email="ana@sensors.example.com", name="Ana Popescu"),
        organisation_name="Smart Sensors SRL",
        offers=[HOSTILE, "LoRaWAN sensors"],
        requests=["+40 distributors"],
        looking_for="@everyone partners",
    )
    make_participant(
        event, make_user(email="ion@agrosoft.example.com", name="Ion Rusu"), country="MD"
    )
    return event


def csv_rows(data):
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_sheet(data):
    return load_workbook(io.BytesIO(data)).active


def test_export_opportunities_csv_neutralises_formulas(exported_event):
    data, mimetype, filename = exports.export_opportunities(exported_event, "csv")

    assert (mimetype, filename) == ("text/csv; charset=utf-8", "ict-days-opportunities.csv")
    rows = csv_rows(data)
    assert rows[0] == [
        "Organisation",
        "Person",
        "Participant status",
        "Kind",
        "Category",
        "Title",
        "Description",
        "Keywords",
    ]
    assert rows[1:] == [
        ["Smart Sensors SRL", "Ana Popescu", "Approved", "Offer", "Service", "'" + HOSTILE, "", ""],
        [
            "Smart Sensors SRL",
            "Ana Popescu",
            "Approved",
            "Offer",
            "Service",
            "LoRaWAN sensors",
            "",
            "",
        ],
        [
            "Smart Sensors SRL",
            "Ana Popescu",
            "Approved",
            "Request",
            "Service",
            "'+40 distributors",
            "",
            "",
        ],
    ]


def test_export_opportunities_xlsx_writes_formulas_as_neutralised_text(exported_event):
    data, mimetype, filename = exports.export_opportunities(exported_event, "xlsx")

    assert filename == "ict-days-opportunities.xlsx"
    sheet = xlsx_sheet(data)
    title = sheet["F2"]
    assert title.value == "'" + HOSTILE
    assert title.data_type == "s"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["F4"].value == "'+40 distributors"


def test_export_participants_csv_has_one_row_each_with_counts(exported_event):
    data, _mimetype, filename = exports.export_participants(exported_event, "csv")

    assert filename == "ict-days-participants.csv"
    rows = csv_rows(data)
    assert rows[0] == list(exports.PARTICIPANT_HEADER)
    assert [row[:13] + row[13:14] for row in rows[1:]] == [
        [
            "Ion Rusu Ltd",
            "MD",
            "",
            "SME",
            "",
            "",
            "Ion Rusu",
            "ion@agrosoft.example.com",
            "",
            "",
            "Approved",
            "",
            "0",
            "0",
        ],
        [
            "Smart Sensors SRL",
            "RO",
            "",
            "SME",
            "",
            "",
            "Ana Popescu",
            "ana@sensors.example.com",
            "",
            "",
            "Approved",
            "'@everyone partners",
            "2",
            "1",
        ],
    ]
    assert len(rows[1][14]) == len("2026-01-01 10:00")


def test_export_participants_xlsx_neutralises_text(exported_event):
    data, _mimetype, filename = exports.export_participants(exported_event, "xlsx")

    sheet = xlsx_sheet(data)
    assert [cell.value for cell in sheet[1]] == list(exports.PARTICIPANT_HEADER)
    assert sheet["L3"].value == "'@everyone partners"
    assert sheet["L3"].data_type == "s"
    assert (sheet["M3"].value, sheet["N3"].value) == (2, 1)


def test_neutralise_leaves_harmless_values_alone():
    assert [exports.neutralise(v) for v in ["-5", "\tx", "a=b", "", 3, None]] == [
        "'-5",
        "'\tx",
        "a=b",
        "",
        3,
        None,
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ro", "RO"),
        ("Moldova", "MD"),
        ("Kosovo", "XK"),
        ("XK", "XK"),
        ("UK", "GB"),
        ("EL", "GR"),
        ("DEU", "DE"),
        ("Germany", "DE"),
        ("XX", None),
        ("Atlantis", None),
    ],
)
def test_resolve_country_takes_codes_and_english_names(text, code):
    assert imports.resolve_country(text) == code


def test_import_refuses_a_csv_with_an_unclosed_quote(event, organizer):
    content = b'organisation,person,email,country\n"Open quote,A,a@x.example.com,RO\n' + (
        b"y" * 200_000
    )

    with pytest.raises(ImportRejected) as rejected:
        run_import(event, organizer, io.BytesIO(content))

    assert rejected.value.problems[0].endswith(
        'Check that every quote (") that opens a cell also closes it.'
    )
