"""The JSON interchange format of the matching engine (docs/matching.md).

In: {"format": "matchmaker.participants/1", "rules": {...}, "participants": [...],
"history": [...], "co_participation": [...]} (both optional: organisation pairs that met at
an earlier event; past projects organisations shared).
Out: {"format": "matchmaker.matches/1", "top": k, "results": [...]}.
Every problem in a document is reported with the path of the offending value, e.g.
"participants[3].offers[0]: 'title' is missing".
"""

import dataclasses
import math
from datetime import date

from matchmaker.matching.coparticipation import CoParticipation
from matchmaker.matching.history import MET_BEFORE_POLICIES, OUTCOME_ORDER, MetBefore
from matchmaker.matching.model import (
    GroupRules,
    MatchRules,
    MatchWeights,
    Opportunity,
    Participant,
)

PARTICIPANTS_FORMAT = "matchmaker.participants/1"
MATCHES_FORMAT = "matchmaker.matches/1"


class DocumentError(ValueError):
    """A participants document that does not follow the format; the message names the place."""


def _get(obj, path, name, kinds, default=None, required=False):
    if not isinstance(obj, dict):
        raise DocumentError(f"{path}: expected an object")
    if name not in obj:
        if required:
            raise DocumentError(f"{path}: '{name}' is missing")
        return default
    value = obj[name]
    # bool is an int in Python, but true is no identifier, count or weight.
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        expected = " or ".join(_KIND_NAMES[kind] for kind in kinds)
        raise DocumentError(f"{path}.{name}: expected {expected}, got {_type_name(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise DocumentError(f"{path}.{name}: expected a finite number")
    return value


_KIND_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    list: "a list",
    dict: "an object",
}


def _type_name(value):
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}
    names.update({list: "a list", dict: "an object", type(None): "null"})
    return names.get(type(value), type(value).__name__)


def _strings(obj, path, name):
    values = _get(obj, path, name, (list,), default=[])
    for i, value in enumerate(values):
        if not isinstance(value, str):
            raise DocumentError(f"{path}.{name}[{i}]: expected a string, got {_type_name(value)}")
    return tuple(values)


def _pairs(obj, path, name, kinds):
    pairs = _get(obj, path, name, (list,), default=[])
    for i, pair in enumerate(pairs):
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(v, kinds) and not isinstance(v, bool) for v in pair)
        ):
            raise DocumentError(f"{path}.{name}[{i}]: expected a pair [first, second]")
    return frozenset(tuple(pair) for pair in pairs)


def _opportunity(obj, path, kind):
    declared = _get(obj, path, "kind", (str,), default=kind)
    if declared != kind:
        raise DocumentError(f"{path}.kind: '{declared}' listed among the {kind}s")
    return Opportunity(
        id=_get(obj, path, "id", (str, int), required=True),
        kind=kind,
        title=_get(obj, path, "title", (str,), required=True),
        description=_get(obj, path, "description", (str,), default=""),
        category=_get(obj, path, "category", (str,), default=""),
        keywords=_strings(obj, path, "keywords"),
    )


def _participant(obj, path):
    opportunities = {}
    for field, kind in (("offers", "offer"), ("requests", "request")):
        items = _get(obj, path, field, (list,), default=[])
        opportunities[field] = tuple(
            _opportunity(item, f"{path}.{field}[{i}]", kind) for i, item in enumerate(items)
        )
    experience = _get(obj, path, "experience", (int,))
    if experience is not None and experience < 0:
        raise DocumentError(f"{path}.experience: expected a count >= 0, got {experience}")
    return Participant(
        id=_get(obj, path, "id", (str, int), required=True),
        organisation_id=_get(obj, path, "organisation_id", (str, int), required=True),
        profile=_get(obj, path, "profile", (str,), default=""),
        country=_get(obj, path, "country", (str,), default=""),
        type=_get(obj, path, "type", (str,), default=""),
        sectors=_strings(obj, path, "sectors"),
        experience=experience,
        **opportunities,
    )


def _weights(obj, path):
    if obj is None:
        return MatchWeights()
    return MatchWeights(
        complementarity=_get(obj, path, "complementarity", (int, float), required=True),
        profile=_get(obj, path, "profile", (int, float), required=True),
    )


def _policy(obj, path):
    policy = _get(obj, path, "met_before_policy", (str,), default="leave")
    if policy not in MET_BEFORE_POLICIES:
        allowed = ", ".join(f"'{p}'" for p in MET_BEFORE_POLICIES)
        raise DocumentError(f"{path}.met_before_policy: expected one of {allowed}, got '{policy}'")
    return policy


def _met_before(obj, path):
    when = _get(obj, path, "date", (str,), default="")
    if when:
        try:
            date.fromisoformat(when)
        except ValueError:
            raise DocumentError(f"{path}.date: expected a date YYYY-MM-DD, got '{when}'") from None
    outcome = _get(obj, path, "outcome", (str, type(None)), default=None) or ""
    if outcome and outcome not in OUTCOME_ORDER:
        raise DocumentError(f"{path}.outcome: expected one of {', '.join(OUTCOME_ORDER)} or null")
    a = _get(obj, path, "a", (str, int), required=True)
    b = _get(obj, path, "b", (str, int), required=True)
    if a == b:
        raise DocumentError(f"{path}: 'a' and 'b' are the same organisation")
    event = _get(obj, path, "event", (str,), required=True)
    return MetBefore(a=a, b=b, event=event, date=when, outcome=outcome)


def _history(items, organisation_ids):
    """MetBefore records of a document's "history" list; ids that read like an organisation
    id of another type (1 and "1") are refused, as in the participants."""
    kinds = {str(o): type(o) for o in organisation_ids}
    records = []
    for i, item in enumerate(items):
        record = _met_before(item, f"history[{i}]")
        for side in ("a", "b"):
            value = getattr(record, side)
            kind = kinds.get(str(value))
            if kind is not None and kind is not type(value):
                raise DocumentError(
                    f"history[{i}].{side}: {value!r} reads like the organisation_id "
                    f"{kind(value)!r} of the participants but is not the same id; write both "
                    "the same way"
                )
        records.append(record)
    return tuple(records)


def _rules(obj, path, history=()):
    if obj is None:
        return MatchRules(history=history)
    try:
        return MatchRules(
            not_interested=_pairs(obj, path, "not_interested", (str, int)),
            excluded_type_pairs=_pairs(obj, path, "excluded_type_pairs", (str,)),
            cross_border_bonus=_get(obj, path, "cross_border_bonus", (int, float), default=0.0),
            weights=_weights(_get(obj, path, "weights", (dict,)), f"{path}.weights"),
            history=history,
            met_before_policy=_policy(obj, path),
        )
    except DocumentError:
        raise
    except ValueError as error:  # a value the dataclasses refuse, e.g. a negative bonus
        raise DocumentError(f"{path}: {error}") from None


def read_document(document):
    """Participants and rules from a parsed participants document (a dict from json.load).

    Returns (tuple of Participant, MatchRules); the document's "history" goes into the rules.
    Raises DocumentError naming the first problem found: wrong format tag, missing field, wrong
    type, duplicate participant id, unknown policy or outcome, a date that is not one.
    Cost: linear in the size of the document.
    """
    if not isinstance(document, dict):
        raise DocumentError("document: expected an object")
    tag = _get(document, "document", "format", (str,), required=True)
    if tag != PARTICIPANTS_FORMAT:
        raise DocumentError(f"document.format: expected '{PARTICIPANTS_FORMAT}', got '{tag}'")
    rules_obj = _get(document, "document", "rules", (dict,))
    items = _get(document, "document", "participants", (list,), required=True)
    participants = tuple(_participant(item, f"participants[{i}]") for i, item in enumerate(items))
    history = _history(
        _get(document, "document", "history", (list,), default=[]),
        [p.organisation_id for p in participants],
    )
    rules = _rules(rules_obj, "rules", history)
    membership = {
        p.id: _get(item, f"participants[{i}]", "group", (str, int))
        for i, (p, item) in enumerate(zip(participants, items, strict=True))
    }
    seen = set()
    for i, participant in enumerate(participants):
        if participant.id in seen:
            raise DocumentError(f"participants[{i}].id: {participant.id!r} is used twice")
        seen.add(participant.id)
    for field in ("id", "organisation_id"):
        _refuse_lookalikes([getattr(p, field) for p in participants], f"participants[{{}}].{field}")
    _refuse_lookalikes(list(membership.values()), "participants[{}].group", skip_none=True)
    groups = _group_rules(rules_obj, membership)
    return participants, dataclasses.replace(rules, groups=groups)


def _group_rules(obj, membership):
    """GroupRules from the participants' `group` and `rules.excluded_group_pairs`; a pair
    naming a group nobody is in is refused (a misspelt group would exclude nothing)."""
    pairs = _pairs(obj, "rules", "excluded_group_pairs", (str, int)) if obj else frozenset()
    known = {g for g in membership.values() if g is not None}
    listed = _get(obj, "rules", "excluded_group_pairs", (list,), default=[]) if obj else []
    for i, pair in enumerate(listed):
        for group in pair:
            if not any(group == g and type(group) is type(g) for g in known):
                raise DocumentError(
                    f"rules.excluded_group_pairs[{i}]: no participant is in group {group!r}"
                )
    return GroupRules(
        membership={pid: g for pid, g in membership.items() if g is not None}, excluded=pairs
    )


def read_co_participation(document, participants):
    """The optional top-level `co_participation` list of a participants document (already
    read by `read_document` into `participants`): past projects two organisations shared,
    [{"organisations": [id, id], "projects": n}, ...], `projects` an integer >= 1 (default 1);
    organisations may be outside the event. Returns a tuple of
    coparticipation.CoParticipation (empty without the key). Raises DocumentError naming the
    place of the first problem, also where an id reads the same as another organisation's of
    another type (1 and "1")."""
    items = _get(document, "document", "co_participation", (list,), default=[])
    result = []
    for i, item in enumerate(items):
        path = f"co_participation[{i}]"
        organisations = _get(item, path, "organisations", (list,), required=True)
        if len(organisations) != 2 or not all(
            isinstance(o, (str, int)) and not isinstance(o, bool) for o in organisations
        ):
            raise DocumentError(f"{path}.organisations: expected two organisation ids")
        projects = _get(item, path, "projects", (int,), default=1)
        try:
            result.append(CoParticipation(tuple(organisations), projects))
        except ValueError as error:
            raise DocumentError(f"{path}: {error}") from None
    places = [f"participants[{i}].organisation_id" for i in range(len(participants))]
    ids = [p.organisation_id for p in participants]
    for i, item in enumerate(result):
        for j, organisation in enumerate(item.organisations):
            places.append(f"co_participation[{i}].organisations[{j}]")
            ids.append(organisation)
    _refuse_lookalikes(ids, places)
    return tuple(result)


def _refuse_lookalikes(ids, place, skip_none=False):
    """Raise DocumentError if a number and a string id read the same (1 and "1"): the app
    and the people reading the result could not tell them apart, and merging them would
    hide a pair silently. `place` is a format string of the index, or a list of places;
    `skip_none`: None values (no group) are not ids."""

    def where(i):
        return place[i] if isinstance(place, list) else place.format(i)

    first = {}
    for i, value in enumerate(ids):
        if skip_none and value is None:
            continue
        key = str(value)
        earlier = first.setdefault(key, (i, value))
        if type(earlier[1]) is not type(value):
            raise DocumentError(
                f"{where(i)}: {value!r} and {earlier[1]!r} "
                f"({where(earlier[0])}) are different ids that read the same; "
                "write every id as a number or every id as a string"
            )


def _pair_json(pair):
    return {
        "offer_id": pair.offer_id,
        "offer_title": pair.offer_title,
        "request_id": pair.request_id,
        "request_title": pair.request_title,
        "score": pair.score,
    }


def _met_before_json(record):
    if record is None:
        return None
    return {"event": record.event, "date": record.date or None, "outcome": record.outcome or None}


def matches_document(matches, top_k):
    """The JSON-ready document of `rank_matches`' result: one entry per participant, in the
    order given, each match with its score and explanation. Computes every explanation
    (about a millisecond each)."""
    results = []
    for participant_id, ranked in matches.items():
        entries = []
        for match in ranked:
            explanation = match.explanation
            entries.append(
                {
                    "partner_id": match.partner_id,
                    "score": round(match.score, 4),
                    "explanation": {
                        "need_score": explanation.need_score,
                        "offer_score": explanation.offer_score,
                        "profile_score": explanation.profile_score,
                        "partner_offers": [_pair_json(p) for p in explanation.partner_offers],
                        "participant_offers": [
                            _pair_json(p) for p in explanation.participant_offers
                        ],
                        "terms": list(explanation.terms),
                        "met_before": _met_before_json(explanation.met_before),
                    },
                }
            )
        results.append({"participant_id": participant_id, "matches": entries})
    return {"format": MATCHES_FORMAT, "top": top_k, "results": results}
