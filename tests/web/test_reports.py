import csv
import io
import re

import pytest
from openpyxl import load_workbook

from matchmaker.extensions import db
from matchmaker.services import feedback
from tests import after_event
from tests.after_event import GOOD

BASE = "/manage/ict-days"


@pytest.fixture
def w(make_user, make_event, make_participant, auth):
    world = after_event.build(make_user, make_event, make_participant)
    auth.login("olga@organizer.example")
    return world


def _csv(response):
    assert response.headers["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def _xlsx(response):
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_start_round_asks_for_confirmation_then_emails(client, w, outbox):
    confirm = client.post(f"{BASE}/feedback/rounds", data={"kind": "after_event"})
    assert "3 participants with meetings in the published agenda" in confirm.text
    assert outbox.messages == []
    done = client.post(f"{BASE}/feedback/rounds", data={"kind": "after_event", "confirmed": "yes"},
                       follow_redirects=True)  # fmt: skip
    assert "Feedback round 1 started: 3 participants emailed." in done.text
    assert "0 of 4 (0 %)" in done.text
    assert len(outbox.messages) == 3


def test_reminders_confirm_then_go_to_who_still_owes_answers(client, w, outbox):
    current, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    feedback.submit(w.mo, w.held.id, current, GOOD)
    confirm = client.post(f"{BASE}/feedback/reminders")
    assert "1 participant who still has meetings to answer" in confirm.text
    assert "No reminder has gone out in this round yet." in confirm.text
    done = client.post(f"{BASE}/feedback/reminders", data={"confirmed": "yes"},
                       follow_redirects=True)  # fmt: skip
    assert "Reminders sent to 1 participants." in done.text
    assert re.search(r"\d\d \w{3} \d{4} \d\d:\d\d, to 1 participant<", done.text)
    assert sorted(m["To"] for m in outbox.messages[3:]) == ["ana@agro.example"]
    assert "flask --app" not in done.text  # no command line in the page


def test_second_reminder_at_once_is_refused_and_says_when_the_last_went(client, w, outbox):
    feedback.start_round(w.event, "after_event", by=w.olga)
    client.post(f"{BASE}/feedback/reminders", data={"confirmed": "yes"})
    sent = len(outbox.messages)
    confirm = client.post(f"{BASE}/feedback/reminders").text
    assert "The last reminders went out on" in confirm and "to 2 participants" in confirm
    assert "The next reminders can go from" in confirm
    again = client.post(f"{BASE}/feedback/reminders", data={"confirmed": "yes"},
                        follow_redirects=True)  # fmt: skip
    assert "Reminders already went out on" in again.text
    assert len(outbox.messages) == sent


def test_round_refused_before_the_end_says_why(client, w, outbox):
    w.event.status = "agenda_published"
    db.session.commit()
    done = client.post(f"{BASE}/feedback/rounds", data={"kind": "after_event", "confirmed": "yes"},
                       follow_redirects=True)  # fmt: skip
    assert "The event is not over yet" in done.text
    assert outbox.messages == []


def test_statistics_page_draws_the_charts_with_their_numbers(client, w):
    page = client.get(f"{BASE}/statistics").text
    for chart in ("registrations", "countries", "types", "funnel", "heatmap", "per-participant",
                  "cross-border", "meeting-status", "outcomes", "usefulness"):  # fmt: skip
        assert f'data-testid="chart-{chart}"' in page
    assert page.count("<svg") == 10
    assert "50 % of the meetings bring together organisations of two countries." in page
    assert '<th scope="row">Romania</th><td>2</td>' in page


def test_report_page_is_printable_with_key_figures(client, w):
    page = client.get(f"{BASE}/report").text
    assert "print-report.css" in page and "Brokerage event report" in page
    row = page.split('data-label="Cross-border meetings (%)"')[1].split("</tr>")[0]
    assert 'data-value="50"' in row and ">50 %</td>" in row
    assert page.count("<svg") == 4  # held and no-show, cross-border, countries, usefulness


def test_meetings_export_holds_the_agenda(client, w):
    rows = _csv(client.get(f"{BASE}/export/meetings.csv"))
    assert rows[0][:4] == ["Starts at", "Ends at", "Table", "Organisation A"]
    assert [(r[3], r[6], r[9], r[11]) for r in rows[1:]] == [
        ("AgroVest", "FieldNode", "yes", "Held"),
        ("AgroVest", "Eve Labs", "no", "No-show"),
        ("FieldNode", "Eve Labs", "yes", "Cancelled"),
    ]
    sheet = _xlsx(client.get(f"{BASE}/export/meetings.xlsx"))
    assert len(sheet) == 4 and sheet[1][3] == "AgroVest"


def test_feedback_export_holds_every_answer_and_neutralises_formulas(client, w):
    current, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    feedback.submit(w.ana, w.held.id, current, {**GOOD, "comment": "=HYPERLINK(1)"})
    rows = _csv(client.get(f"{BASE}/export/feedback.csv"))
    assert len(rows) == 2
    answer = dict(zip(rows[0], rows[1], strict=True))
    assert (answer["Organisation"], answer["Partner organisation"], answer["Held"]) == (
        "AgroVest", "FieldNode", "yes",
    )  # fmt: skip
    assert answer["Expected outcome"] == "Follow-up planned"
    assert answer["Comment"] == "'=HYPERLINK(1)"
    sheet = _xlsx(client.get(f"{BASE}/export/feedback.xlsx"))
    assert sheet[1][12] == "'=HYPERLINK(1)"


def test_statistics_export_lists_figures(client, w):
    rows = _csv(client.get(f"{BASE}/export/statistics.csv"))
    assert rows[0] == ["Figure", "Item", "Value"]
    assert ["Key figures", "Meetings held", "1"] in rows
    assert ["Meeting requests", "Declined", "1"] in rows
    assert ["Participants by country", "Romania", "2"] in rows  # the page's names, not codes
    sheet = _xlsx(client.get(f"{BASE}/export/statistics.xlsx"))
    assert ["Held and no-show", "No-show", 1] in sheet
    assert ["Key figures", "Cross-border meetings (%)", 50] in sheet  # a number, not "50 %"
    assert ["Cross-border meetings", "Cross-border", 1] in sheet  # Ana–Mo; Ana–Eve is not


def test_other_organizers_get_404(client, auth, w, make_user):
    make_user(email="otto@organizer.example", name="Otto", role="organizer")
    auth.logout()
    auth.login("otto@organizer.example")
    for url in ("/statistics", "/report", "/feedback", "/export/meetings.csv"):
        assert client.get(BASE + url).status_code == 404


def _report_rows(html, testid):
    """(data-label, data-value) of the report table's rows with this test id."""
    table = html.split(f'data-testid="{testid}"')[1].split("</table>")[0]
    return re.findall(r'data-label="([^"]*)" data-value="([^"]*)"', table)


def test_funder_report_figures_equal_the_exports(client, w):
    feedback.start_round(w.event, "after_event", by=w.olga)
    html = client.get(f"{BASE}/report").text.replace("&#39;", "'")
    rows = [[*row, None, None][:3] for row in _xlsx(client.get(f"{BASE}/export/statistics.xlsx"))]
    exported = {(figure, item): value for figure, item, value in rows[1:]}  # empty: None
    checks = {
        "headline-figures": "Key figures",
        "report-outcomes": "Expected outcomes",
        "country-pairs": "Meetings between countries",
        "organisations-by-country": "Organisations by country",
    }
    for testid, figure in checks.items():
        shown = _report_rows(html, testid)
        assert shown, testid
        for label, value in shown:
            number = float(value) if "." in value else int(value) if value else None
            assert exported[(figure, label)] == number, (figure, label)
    assert ("Meetings between countries", "Romania – Serbia") in exported


def test_funder_report_names_the_network_funder_and_narrative(client, w):
    client.post(f"{BASE}/report/details", data={
        "organizer_name": "Balkan ICT Clusters Network", "funder": "European Commission",
        "programme": "Interreg", "project": "BRIDGE-ICT 2026-1", "narrative": "Why.\n\nWhat came.",
    })  # fmt: skip
    html = client.get(f"{BASE}/report").text
    assert "Organized by <strong>Balkan ICT Clusters Network</strong>" in html
    assert "European Commission" in html and "BRIDGE-ICT 2026-1" in html
    assert "<p>Why.</p>" in html and "<p>What came.</p>" in html
    assert "Olga" not in html.split("</header>")[0]  # a network, not a person


def test_only_comments_allowed_are_quoted(client, auth, w):
    current, _ = feedback.start_round(w.event, "after_event", by=w.olga)
    feedback.submit(w.ana, w.held.id, current, {**GOOD, "comment": "Met our Serbian partner",
                                               "may_quote": True})  # fmt: skip
    feedback.submit(w.mo, w.held.id, current, {**GOOD, "comment": "Private remark"})
    html = client.get(f"{BASE}/report").text
    assert "Met our Serbian partner" in html and "Private remark" not in html
