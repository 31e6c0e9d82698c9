"""Hostile participant files on the organizer's import page: hostile cells, wrong types,
dates where text belongs, too many rows, oversized uploads, zip bombs, files that are not
what their name says. The page answers (never a 500); a refused file is named row by row and
writes nothing; an accepted one stores every value exactly and the exports still work."""

import csv
import html
import io
import itertools
import time
import zipfile
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from matchmaker.extensions import db
from matchmaker.models import Participant, User
from matchmaker.services.imports import COLUMN_NAMES, MAX_ROWS
from tests.hostile.strategies import (
    CONTROL_CHARACTERS,
    HOSTILE,
    MARKUP,
    SCRIPT,
    SQL,
    hostile_text,
    is_clean,
)

URL = "/manage/ict-days/import"
HEADER = ["organisation", "person", "email", "country", "city", "offers", "looking_for"]
_serial = itertools.count(1)


@pytest.fixture
def organizer(make_user, make_event, auth):
    user = make_user(email="org@cluster.example.com", name="Olga Organizer", role="organizer")
    make_event(organizer=user)
    auth.login(user.email)
    return user


def good_row():
    n = next(_serial)
    return {
        "organisation": f"Org {n}",
        "person": f"Person {n}",
        "email": f"person{n}@example.com",
        "country": "RO",
        "city": "Iași",
        "offers": f"technology: Sensors {n}",
        "looking_for": "Partners",
    }


def csv_bytes(rows, header=HEADER, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content, filename):
    """Post a file from memory (the test client would spool a large one to an open file)."""
    stream, length, boundary = stream_encode_multipart(
        {"file": FileStorage(io.BytesIO(content), filename)},
        threshold=len(content) + 1024 * 1024,
    )
    return client.post(
        URL,
        input_stream=stream,
        content_length=length,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def counts():
    """Rows in every table: a refused import leaves all of them as they were."""
    found = {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    db.session.rollback()
    return found


def problems_of(page):
    """The problem lines of the import page, as the organizer reads them."""
    start = page.find('data-testid="import-problems"')
    assert start != -1, "the refusal shows no problem list"
    block = page[start : page.find("</div>", start)]
    return [html.unescape(item.split("</li>")[0]) for item in block.split("<li>")[1:]]


def assert_refused(response, before, *expected_lines):
    assert response.status_code in (200, 413)
    assert counts() == before, "a refused import wrote something"
    lines = problems_of(response.text)
    for expected in expected_lines:
        assert any(expected in line for line in lines), (expected, lines)
    return lines


# Cells a hostile or careless organizer might put in each column.
CELL = st.one_of(
    hostile_text(250),
    st.sampled_from(
        [
            "=1+1",
            '=HYPERLINK("http://evil.example","x")',
            "@SUM(A1)",
            "+40 721",
            "-2",
            "=cmd|' /C calc'!A0",
            "a;b;c",
            "technology:",
            ";;;",
            "x" * 201,
            "XK",
            "Kosovo",
            "uk",
            "Narnia",
            "RO\x00",
        ]
    ),  # fmt: skip
)


@st.composite
def hostile_rows(draw):
    rows = [good_row() for _ in range(draw(st.integers(1, 3)))]
    for row in rows:
        for column in draw(st.lists(st.sampled_from(HEADER), max_size=2, unique=True)):
            row[column] = draw(CELL)
    return rows


@HOSTILE
@given(rows=hostile_rows(), fmt=st.sampled_from(["csv", "xlsx"]))
def test_hostile_cells_are_stored_exactly_or_refused_by_row(client, organizer, rows, fmt):
    if fmt == "xlsx":  # a workbook cannot hold control characters (XML 1.0)
        rows = [{k: "".join(c for c in v if c not in CONTROL_CHARACTERS) for k, v in r.items()}
                for r in rows]  # fmt: skip
        content = xlsx_bytes([[row[c] for c in HEADER] for row in rows])
    else:
        content = csv_bytes([[row[c] for c in HEADER] for row in rows])
    before = counts()
    response = upload(client, content, f"people.{fmt}")
    assert response.status_code != 500
    if response.status_code == 302:
        assert counts()["participants"] == before["participants"] + len(rows)
        for row in rows:
            assert_stored_exactly(row)
        assert_exports_work(client)
        page = client.get("/manage/ict-days/participants?q=").text
        assert SCRIPT not in page and "<img src=x" not in page
    else:
        lines = assert_refused(response, before)
        assert all(line.startswith(("Row ", "The sectors", "…and")) for line in lines), lines


def assert_stored_exactly(row):
    user = db.session.scalar(sa.select(User).where(User.email == row["email"].strip().lower()))
    participant = db.session.scalar(sa.select(Participant).where(Participant.user_id == user.id))
    assert user.name == row["person"].strip()
    assert participant.organisation.name.casefold() == row["organisation"].strip().casefold()
    assert participant.looking_for == row["looking_for"].strip()
    titles = [o.title for o in participant.opportunities]
    for title in titles:
        assert title in row["offers"]
        assert is_clean(title)
    db.session.rollback()


def assert_exports_work(client):
    for what in ("participants", "opportunities"):
        for fmt in ("csv", "xlsx"):
            response = client.get(f"/manage/ict-days/export/{what}.{fmt}")
            assert response.status_code == 200, (what, fmt)


@pytest.mark.parametrize(
    "cell",
    ["Smart\x01Sensors", "tab\x0bbed", "esc\x1b[31mred", "del\x7f"],
    ids=["soh", "vertical-tab", "escape", "delete"],
)
def test_control_character_in_a_csv_cell_is_refused_by_row(client, organizer, cell):
    row = good_row()
    row["organisation"] = cell
    before = counts()
    response = upload(client, csv_bytes([[row[c] for c in HEADER]]), "people.csv")
    assert_refused(response, before, "Row 2: organisation contains a control character")


def test_nul_in_a_csv_refuses_the_file(client, organizer):
    row = good_row()
    row["city"] = "Ia\x00și"
    before = counts()
    response = upload(client, csv_bytes([[row[c] for c in HEADER]]), "people.csv")
    assert_refused(response, before, "This file is not a CSV text file.")


def test_utf16_csv_is_refused_with_a_clear_message(client, organizer):
    row = good_row()
    before = counts()
    content = csv_bytes([[row[c] for c in HEADER]], encoding="utf-16")
    response = upload(client, content, "people.csv")
    assert_refused(response, before, "This file is not a CSV text file.")


def test_csv_with_bom_and_windows_1250_both_import(client, organizer):
    first, second = good_row(), good_row()
    first["city"], second["city"] = "Timișoara", "Łódź"
    with_bom = b"\xef\xbb\xbf" + csv_bytes([[first[c] for c in HEADER]])
    assert upload(client, with_bom, "a.csv").status_code == 302
    cp1250 = csv_bytes([[second[c] for c in HEADER]], encoding="cp1250")
    assert upload(client, cp1250, "b.csv").status_code == 302
    assert_stored_exactly(first)
    assert_stored_exactly(second)


@pytest.mark.parametrize("value", [SCRIPT, SQL[0], MARKUP[1]])
def test_markup_and_sql_in_cells_are_stored_as_text_and_shown_escaped(client, organizer, value):
    row = good_row()
    row["organisation"] = f"{value} {next(_serial)}"
    row["looking_for"] = value
    assert upload(client, csv_bytes([[row[c] for c in HEADER]]), "people.csv").status_code == 302
    assert_stored_exactly(row)
    page = client.get("/manage/ict-days/participants").text
    assert value not in page
    assert row["organisation"] in html.unescape(page)


def test_formula_cells_in_xlsx_arrive_empty_and_name_the_row(client, organizer):
    row = good_row()
    row["organisation"] = '=CONCATENATE("Evil","Corp")'
    before = counts()
    response = upload(client, xlsx_bytes([[row[c] for c in HEADER]]), "people.xlsx")
    assert_refused(response, before, "Row 2: organisation is missing")


def test_dates_and_numbers_in_text_columns_are_refused_or_read_as_text(client, organizer):
    rows = [good_row(), good_row(), good_row()]
    table = [[row[c] for c in HEADER] for row in rows]
    table[0][HEADER.index("country")] = datetime(2027, 5, 18, 10, 30)
    table[1][HEADER.index("email")] = 12345
    table[2][HEADER.index("organisation")] = date(2027, 1, 9)
    header = [*HEADER, "size"]
    table = [
        [*cells, size] for cells, size in zip(table, (True, 1.5, date(2027, 1, 9)), strict=True)
    ]
    before = counts()
    response = upload(client, xlsx_bytes(table, header=header), "people.xlsx")
    lines = assert_refused(response, before)
    assert lines[0].startswith("Row 2: country '2027-05-18T10:30:00' is not an ISO country code")
    assert lines[1].startswith("Row 3: email '12345' is not a valid address")
    assert lines[2] == ("Row 4: size '2027-01-09' is not one of: 1-9, 10-49, 50-249, 250+.")


def test_too_many_rows_are_refused(client, organizer):
    rows = [[f"O{i}", f"P{i}", f"p{i}@x.example", "RO", "", "", ""] for i in range(MAX_ROWS + 1)]
    before = counts()
    response = upload(client, csv_bytes(rows), "people.csv")
    assert_refused(response, before, f"The file has more than {MAX_ROWS:,} participant rows.")


def test_oversized_upload_is_refused_with_the_limit(client, organizer):
    content = csv_bytes([]) + b"x" * (2 * 1024 * 1024 + 1)
    before = counts()
    response = upload(client, content, "people.csv")
    assert_refused(response, before, "The file is larger than 2 MiB.")


def test_zip_bomb_xlsx_is_refused_before_it_is_unpacked(client, organizer):
    """A workbook of 2 KiB that would unpack to 100 MiB of one sheet."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(100):
                member.write(chunk)
    content = buffer.getvalue()
    assert len(content) < 200 * 1024  # a ratio above 500
    before = counts()
    response = upload(client, content, "bomb.xlsx")
    assert_refused(response, before, "The XLSX file unpacks to more than 50 MiB.")


@pytest.mark.parametrize(
    "content",
    [
        b"organisation,person\nA,B\n",
        b"PK\x03\x04" + b"\x00" * 100,
        b"%PDF-1.4 not a workbook",
        b"",
        zipfile.ZipFile.__doc__.encode(),
    ],
    ids=["csv-named-xlsx", "broken-zip", "pdf", "empty", "text"],
)
def test_file_named_xlsx_that_is_no_workbook_is_refused(client, organizer, content):
    before = counts()
    response = upload(client, content, "people.xlsx")
    if content:
        assert_refused(response, before, "This file is not an XLSX workbook.")
    else:
        assert response.status_code == 200
        assert counts() == before


def test_zip_without_a_sheet_is_refused_as_unreadable(client, organizer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    before = counts()
    response = upload(client, buffer.getvalue(), "people.xlsx")
    assert_refused(response, before, "The file could not be read as an XLSX workbook.")


def test_all_or_nothing_when_the_last_row_is_bad(client, organizer):
    rows = [good_row() for _ in range(4)]
    rows[-1]["email"] = "not an email"
    before = counts()
    response = upload(client, csv_bytes([[row[c] for c in HEADER] for row in rows]), "p.csv")
    assert assert_refused(response, before) == [
        "Row 5: email 'not an email' is not a valid address."
    ]


def test_every_column_of_the_template_may_be_hostile_at_once(client, organizer):
    """All fifteen columns filled with markup, SQL and wide characters at their limits."""
    row = {name: f"{SCRIPT}{SQL[0]}" for name in COLUMN_NAMES}
    before = counts()
    response = upload(client, csv_bytes([[row[c] for c in COLUMN_NAMES]], COLUMN_NAMES), "a.csv")
    lines = assert_refused(response, before)
    assert len(lines) >= 1 and lines[0].startswith("Row 2: ")
    assert SCRIPT not in response.text


def test_xlsx_export_survives_control_characters_stored_before_they_were_refused(
    client, organizer, make_user, make_participant
):
    from matchmaker.models import Event

    event = db.session.scalar(sa.select(Event))
    make_participant(event, make_user(email="old@example.com", name="Old\x01Timer"),
                     organisation_name="Old\x1bCo", offers=["Bell\x07s"])  # fmt: skip
    for what in ("participants", "opportunities"):
        response = client.get(f"/manage/ict-days/export/{what}.xlsx")
        assert response.status_code == 200
        cells = [c for row in load_workbook(io.BytesIO(response.data)).active.values for c in row]
        assert ("OldCo" in cells, "Old\x1bCo" in cells) == (True, False)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "column, cell",
    [("organisation", "AgroVest\r\nBcc: all@example.com"), ("person", "Ana\tPopescu"),
     ("looking_for", "Partners\u2028now")],
    ids=["crlf", "tab", "unicode-line-separator"],
)  # fmt: skip
def test_line_break_in_a_one_line_column_is_refused_by_row(client, organizer, fmt, column, cell):
    """A line break in a name reached every email's Subject header, which then failed."""
    row = good_row()
    row[column] = cell
    table = [[row[c] for c in HEADER]]
    content = csv_bytes(table) if fmt == "csv" else xlsx_bytes(table)
    before = counts()
    response = upload(client, content, f"people.{fmt}")
    assert_refused(
        response, before, f"Row 2: {column} runs over several lines; keep it on one line"
    )


def test_line_breaks_between_offers_are_still_read_as_several_offers(client, organizer):
    row = good_row()
    row["offers"] = "Sensors\nDrones\r\nRobots"
    response = upload(client, csv_bytes([[row[c] for c in HEADER]]), "people.csv")
    assert response.status_code == 302
    participant = db.session.scalar(sa.select(Participant))
    assert sorted(o.title for o in participant.opportunities) == ["Drones", "Robots", "Sensors"]


def _xlsx_with_sheet_rows(rows_xml):
    """A workbook whose first sheet holds the header, one good participant and `rows_xml`."""
    row = good_row()
    source = io.BytesIO(xlsx_bytes([[row[c] for c in HEADER]]))
    target = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", rows_xml + b"</sheetData>")
            new.writestr(item, data)
    return target.getvalue()


@pytest.mark.parametrize(
    "rows_xml",
    [
        b"".join(b'<row r="%d"><c r="A%d" s="0"/></row>' % (n, n) for n in range(3, 60_000)),
        b'<row r="2000000"><c r="A2000000" t="inlineStr"><is><t>x</t></is></c></row>',
    ],
    ids=["60k-empty-rows", "a-cell-on-row-2-million"],
)
def test_sheet_of_many_empty_rows_is_refused_quickly(client, organizer, rows_xml):
    """Two million empty rows in 2 MiB held a worker for 20 seconds."""
    content = _xlsx_with_sheet_rows(rows_xml)
    assert len(content) < 2 * 1024 * 1024
    before = counts()
    started = time.perf_counter()
    response = upload(client, content, "people.xlsx")
    assert time.perf_counter() - started < 2
    assert_refused(response, before, "The file has more than 20,000 rows, empty ones included.")


def test_csv_of_many_empty_lines_is_refused(client, organizer):
    row = good_row()
    content = csv_bytes([[row[c] for c in HEADER]]) + b"\r\n" * 1_000_000
    before = counts()
    response = upload(client, content, "people.csv")
    assert_refused(response, before, "The file has more than 20,000 rows, empty ones included.")


def test_reading_that_takes_too_long_is_stopped(client, organizer, monkeypatch):
    monkeypatch.setattr("matchmaker.services.imports.MAX_READ_SECONDS", 0)
    row = good_row()
    content = csv_bytes([[row[c] for c in HEADER]]) + b"\r\n" * 1000
    before = counts()
    response = upload(client, content, "people.csv")
    assert_refused(
        response, before, "Reading the file took more than 0 seconds, so it was stopped."
    )
