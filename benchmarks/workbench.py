"""The organizer's workbench on a large event: how long the agenda version page (figures in
words, unplaced reasons, the grid) and the capacity planner take.

    python -m benchmarks.workbench --participants 2000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/matchmaker_bench_web

Builds (or reuses) the web benchmark's event (benchmarks/web_data.py: matches, interests,
requests and a published agenda from the real services) in its own PostgreSQL database, then
in one process: the report alone (services/schedule_report.py) `--repeat` times, the version
page through the test client (logged in as the event's organizer) unfiltered and searched,
and the planner (services/planner.py) with one more session and with 20-minute meetings,
`--time-limit` seconds per run. The machine is shared: repeat a figure that matters.

Prints one line per measure and, last, one JSON document with the figures.
"""

import argparse
import json
import statistics
import time

import sqlalchemy as sa

from benchmarks import web_data
from benchmarks.web import DEFAULT_DATABASE_URL
from matchmaker.config import normalise_database_url


def _seconds(action, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 3), result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=10.0)
    args = parser.parse_args(argv)
    url = normalise_database_url(args.database_url)
    slug = web_data.ensure_event(url, args.participants)

    from matchmaker import create_app
    from matchmaker.extensions import db
    from matchmaker.models import Event
    from matchmaker.services import planner, schedule_report, schedules

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})  # fmt: skip
    out = {"participants": args.participants}
    with app.app_context():
        event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
        schedule = schedules.latest(event)
        meetings = schedules.meetings_of(schedule)
        people = schedules.approved_participants(event)
        out["meetings"] = len(meetings)
        out["unplaced"] = len(schedule.figures.get("unplaced") or [])
        out["report_s"], words = _seconds(
            lambda: schedule_report.report(schedule, meetings, people), args.repeat
        )
        print(f"report: {out['report_s']} s ({words.headline})")
        client = app.test_client()
        client.post("/auth/login", data={"email": web_data.ORGANIZER_EMAIL,
                                         "password": web_data.PASSWORD})  # fmt: skip
        for name, query in (("page", ""), ("page_search", "?q=pontic")):
            page = f"/manage/{slug}/schedule/{schedule.version}{query}"
            out[f"{name}_s"], response = _seconds(lambda p=page: client.get(p), args.repeat)
            assert response.status_code == 200, response.status_code
            out[f"{name}_kib"] = len(response.data) // 1024
            print(f"{name}: {out[f'{name}_s']} s, {out[f'{name}_kib']} KiB")
        for name, change in (("planner_session", {"extra_session": True}),
                             ("planner_20min", {"meeting_minutes": 20})):  # fmt: skip
            seconds, plan = _seconds(
                lambda c=change: planner.plan_task(event, time_limit=args.time_limit, **c), 1
            )
            out[name] = {"seconds": seconds, "meetings_now": plan["now"]["meetings"],
                         "meetings_what_if": plan["what_if"]["meetings"]}  # fmt: skip
            print(f"{name}: {seconds} s, meetings {plan['now']['meetings']} -> "
                  f"{plan['what_if']['meetings']}")  # fmt: skip
        db.session.remove()
        db.engine.dispose()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
