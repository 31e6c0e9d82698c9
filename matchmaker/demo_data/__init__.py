"""The demo content, read from the TOML files beside this module.

The files are the source: a person edits them, not code (each file's head says what it holds).
`load()` parses and checks them and returns a `DemoContent`; a malformed file is refused with
a `DemoDataError` that names it. The upper-case names below (EVENT, ORGANISATIONS, ...) read
the packaged files on first use, for the loader's, tests' and benchmarks' convenience:

* ``EVENT``, ``ORGANIZER``, ``SUGGESTED_MEETINGS`` - event.toml
* ``ORGANISATIONS`` - organisations.toml
* ``MEETING_REQUESTS`` - requests.toml
* ``DEMO_LOGINS``, ``DEMO_PASSWORD`` - logins.toml
* ``PAST_EVENT``, ``PAST_EDITION`` - past_edition.toml
* ``NETWORK`` - network.toml; ``MISSION`` - mission.toml

Read with the standard library; the words a column accepts from a fixed list (an
organisation's type, an event's status, ...) are checked against the models' own lists.
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

FILES = (
    "event.toml",
    "organisations.toml",
    "requests.toml",
    "logins.toml",
    "past_edition.toml",
    "network.toml",
    "mission.toml",
)


class DemoDataError(ValueError):
    """A demo data file is missing, is not valid TOML or lacks something the loader needs."""


@dataclass(frozen=True)
class DemoContent:
    EVENT: dict
    ORGANIZER: dict
    SUGGESTED_MEETINGS: dict
    ORGANISATIONS: list
    MEETING_REQUESTS: list
    DEMO_LOGINS: list
    DEMO_PASSWORD: str
    PAST_EVENT: dict
    PAST_EDITION: dict
    NETWORK: dict
    MISSION: dict


# What each file must hold, as {key: type}; lists of tables say what each entry must hold.
_EVENT = {
    "slug": str,
    "title": str,
    "description": str,
    "meeting_minutes": int,
    "gap_minutes": int,
    "tables": int,
    "timezone": str,
    "days": list,
}
_DAY = {"date": str, "sessions": list}
_ORGANISATION = {"name": str, "country": str, "type": str, "people": list, "opportunities": list}
_PERSON = {"name": str, "email": str}
_OPPORTUNITY = {"kind": str, "category": str, "title": str}
_MEMBER_ORGANISATION = {"name": str, "country": str, "type": str}


class _Checker:
    def __init__(self, name):
        self.name = name

    def fail(self, what):
        raise DemoDataError(f"Demo data file {self.name}: {what}.")

    def table(self, value, shape, where):
        if not isinstance(value, dict):
            self.fail(f"{where} should be a table")
        for key, kind in shape.items():
            if key not in value:
                self.fail(f"{where} has no '{key}'")
            kinds = (int, float) if kind is float else kind  # "floor = 0" is a number too
            if not isinstance(value[key], kinds) or isinstance(value[key], bool):
                self.fail(f"'{key}' of {where} should be {_KIND_WORDS[kind]}")
        return value

    def entries(self, value, shape, where, label="name"):
        if not isinstance(value, list):
            self.fail(f"{where} should be a list")
        for number, entry in enumerate(value, start=1):
            title = entry.get(label) if isinstance(entry, dict) else None
            self.table(entry, shape, f"{where} entry {number}" + (f" ({title})" if title else ""))
        return value


_KIND_WORDS = {
    str: "text",
    int: "a whole number",
    float: "a number",
    list: "a list",
    dict: "a table",
}


def _read(folder, name):
    path = folder.joinpath(name)
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise DemoDataError(f"Demo data file {name} is missing (looked in {folder}).") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise DemoDataError(f"Demo data file {name} is not UTF-8 text: {error}.") from None
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"Demo data file {name} is not valid TOML: {error}.") from None


def _int_keys(check, shares, where):
    """TOML keys are text; the shares keyed by a number ("3" = 0.3) become numbers again."""
    if not all(key.isdigit() for key in shares):
        check.fail(f'the keys of {where} should be whole numbers, as "3" = 0.3')
    return {int(key): value for key, value in shares.items()}


def _organisations(check, value, where):
    check.entries(value, _ORGANISATION, where)
    for org in value:
        check.entries(org["people"], _PERSON, f"the people of {org['name']}")
        check.entries(
            org["opportunities"], _OPPORTUNITY, f"the opportunities of {org['name']}", label="title"
        )
    return value


def read(folder=None):
    """Parse and check every demo file in `folder` (default: the packaged files) and return a
    DemoContent. Raises DemoDataError naming the file that is missing or malformed."""
    folder = resources.files(__name__) if folder is None else Path(folder)
    files = {name: _read(folder, name) for name in FILES}

    check = _Checker("event.toml")
    event = check.table(files["event.toml"].get("event"), _EVENT, "[event]")
    check.entries(event["days"], _DAY, "[event] days", label="date")
    organizer = check.table(
        files["event.toml"].get("organizer"),
        {"name": str, "email": str, "organisation": str},
        "[organizer]",
    )
    suggested = check.table(
        files["event.toml"].get("suggested_meetings"),
        {"default": int, "floor": float, "shares": dict},
        "[suggested_meetings]",
    )

    check = _Checker("organisations.toml")
    organisations = _organisations(
        check, files["organisations.toml"].get("organisations"), "[[organisations]]"
    )

    known = {o["name"] for o in organisations}
    check = _Checker("event.toml")
    online = event.get("online", [])
    if not isinstance(online, list) or not all(isinstance(n, str) for n in online):
        check.fail("'online' of [event] should be a list of organisation names")
    for name in online:
        if name not in known:
            check.fail(f"'online' of [event] names {name!r}, which organisations.toml lacks")

    check = _Checker("requests.toml")
    requests = check.entries(
        files["requests.toml"].get("requests"),
        {"from": str, "to": str},
        "[[requests]]",
        label="from",
    )

    check = _Checker("logins.toml")
    logins = check.table(files["logins.toml"], {"password": str, "logins": list}, "the file")

    check = _Checker("past_edition.toml")
    past = files["past_edition.toml"]
    check.table(
        past.get("event"), {"slug": str, "title": str, "timezone": str, "days": list}, "[event]"
    )
    check.table(
        past.get("plan"),
        {"seed": int, "participants": int, "usefulness": dict, "rounds": list, "report": dict},
        "[plan]",
    )

    check = _Checker("network.toml")
    network = files["network.toml"]
    check.table(network.get("network"), {"slug": str, "name": str}, "[network]")
    check.entries(
        network.get("members"),
        {"organisation": str, "kind": str, "joined": str},
        "[[members]]",
        label="organisation",
    )
    check.entries(network.get("organisations", []), _MEMBER_ORGANISATION, "[[organisations]]")
    check.entries(
        network.get("chairs"), {"member": str, "starts": str}, "[[chairs]]", label="member"
    )
    check.entries(network.get("admins", []), _PERSON, "[[admins]]")
    check.entries(network.get("staff", []), dict(_PERSON, member=str), "[[staff]]")
    check.entries(
        network.get("partners", []), {"event": str, "members": list}, "[[partners]]", label="event"
    )

    check = _Checker("mission.toml")
    mission = files["mission.toml"]
    check.table(mission.get("event"), _EVENT, "[event]")
    check.entries(mission["event"]["days"], _DAY, "[event] days", label="date")
    check.entries(mission.get("groups"), {"name": str, "organisations": list}, "[[groups]]")
    _organisations(check, mission.get("organisations", []), "[[organisations]]")
    groups = {group["name"] for group in mission["groups"]}
    check.table(mission.get("pairs"), {"exclusions": list}, "[pairs]")
    for pair in mission["pairs"]["exclusions"]:
        if not (isinstance(pair, list) and len(pair) == 2 and set(pair) <= groups):
            check.fail(f"exclusion {pair!r} should be a pair of group names among {sorted(groups)}")

    _cross_check(organisations, requests, network, mission, {event["slug"], past["event"]["slug"]})
    _check_choices(organisations, requests, event, network, mission)
    return DemoContent(
        EVENT=event,
        ORGANIZER=organizer,
        SUGGESTED_MEETINGS=dict(
            suggested,
            shares=_int_keys(
                _Checker("event.toml"), suggested["shares"], "[suggested_meetings.shares]"
            ),
        ),
        ORGANISATIONS=organisations,
        MEETING_REQUESTS=requests,
        DEMO_LOGINS=logins["logins"],
        DEMO_PASSWORD=logins["password"],
        PAST_EVENT=past["event"],
        PAST_EDITION=dict(
            past["plan"],
            usefulness=_int_keys(
                _Checker("past_edition.toml"), past["plan"]["usefulness"], "[plan.usefulness]"
            ),
        ),
        NETWORK=network,
        MISSION=mission,
    )


def _cross_check(organisations, requests, network, mission, event_slugs):
    """Names that point into another entry or file must be found there."""
    known = {org["name"] for org in organisations}
    people = {person["email"] for org in organisations for person in org["people"]}
    check = _Checker("requests.toml")
    for request in requests:
        for side in ("from", "to"):
            if request[side] not in people:
                check.fail(f"{request[side]!r} is not a person of organisations.toml")
    check = _Checker("network.toml")
    members = set()
    for member in network["members"]:
        name = member["organisation"]
        if name not in known and name not in {o["name"] for o in network.get("organisations", [])}:
            check.fail(
                f"member {name!r} is neither in organisations.toml nor under [[organisations]]"
            )
        members.add(name)
    for what, entries in (("chair", network["chairs"]), ("staff", network.get("staff", []))):
        for entry in entries:
            if entry["member"] not in members:
                check.fail(f"{what} {entry['member']!r} is not a member")
    event_slugs = event_slugs | {mission["event"]["slug"]}
    for spec in network.get("partners", []):
        if spec["event"] not in event_slugs:
            check.fail(f"partners name {spec['event']!r}, not one of {sorted(event_slugs)}")
        for name in spec["members"]:
            if name not in members:
                check.fail(f"partner {name!r} of {spec['event']} is not a member")
    check = _Checker("mission.toml")
    known |= {org["name"] for org in mission.get("organisations", [])}
    for group in mission["groups"]:
        for name in group["organisations"]:
            if name not in known:
                check.fail(
                    f"{name!r} of the group {group['name']} is neither in "
                    "organisations.toml nor under [[organisations]]"
                )


def _check_choices(organisations, requests, event, network, mission):
    """Words the database accepts only from a fixed list: refused here, with the file's name,
    rather than by a constraint halfway through loading."""
    from matchmaker.models.events import EVENT_STATUSES
    from matchmaker.models.networks import MEMBER_KINDS, MET_BEFORE_POLICIES
    from matchmaker.models.opportunities import OPPORTUNITY_CATEGORIES, OPPORTUNITY_KINDS
    from matchmaker.models.organisations import ORGANISATION_TYPES
    from matchmaker.models.requests import REQUEST_STATUSES

    def one_of(check, value, choices, what):
        if value not in choices:
            check.fail(f"{what} is {value!r}, not one of {', '.join(choices)}")

    for name, entries in (
        ("organisations.toml", organisations),
        ("network.toml", network.get("organisations", [])),
        ("mission.toml", mission.get("organisations", [])),
    ):
        check = _Checker(name)
        for org in entries:
            one_of(check, org["type"], ORGANISATION_TYPES, f"the type of {org['name']}")
            for opp in org.get("opportunities", []):
                what = f"{org['name']}'s opportunity {opp['title']!r}"
                one_of(check, opp["kind"], OPPORTUNITY_KINDS, f"the kind of {what}")
                one_of(check, opp["category"], OPPORTUNITY_CATEGORIES, f"the category of {what}")
    check = _Checker("requests.toml")
    for request in requests:
        one_of(
            check,
            request.get("status", "pending"),
            REQUEST_STATUSES,
            f"the status of the request from {request['from']} to {request['to']}",
        )
    for name, table in (("event.toml", event), ("mission.toml", mission["event"])):
        check = _Checker(name)
        one_of(check, table.get("status", "registration_open"), EVENT_STATUSES, "the status")
        one_of(
            check,
            table.get("met_before_policy", "leave"),
            MET_BEFORE_POLICIES,
            "the met_before_policy",
        )
    check = _Checker("network.toml")
    for member in network["members"]:
        one_of(check, member["kind"], MEMBER_KINDS, f"the kind of {member['organisation']}")


@cache
def load():
    """The packaged demo content, read once per process (see `read`)."""
    return read()


def __getattr__(name):
    # EVENT, ORGANISATIONS, ...: read from the files on first use.
    if name in DemoContent.__dataclass_fields__:
        return getattr(load(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
