"""A schedule version in plain words for its organizers: the figures a person reads, and every
meeting that was not placed with its reason told with names and times, grouped by reason,
each group with what would place them where that is cheap to work out.

The optimiser stores, for each candidate it did not place, a reason code and ids; the
sentences are built here from the code and the event's data (organisation names, slot times,
the version's meetings as they are now), never by rewriting the optimiser's own sentence, so
an organizer never reads an internal id. Figures are counted on the version as it is now
(after hand edits), except the solver's own (method, objective, bound) which stay behind a
"details" toggle.
"""

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse
import sqlalchemy as sa
from babel.dates import format_datetime
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from scipy.sparse.csgraph import maximum_flow

from matchmaker import scheduling
from matchmaker.extensions import db
from matchmaker.models import MeetingRequest
from matchmaker.services import group_placement
from matchmaker.services.schedules import OFF, approved_participants, meetings_of

PRIORITY_WORDS = {
    "accepted": (_l("accepted request"), _l("accepted requests")),
    "mutual": (_l("mutual interest"), _l("mutual interests")),
    "one_sided": (_l("one-sided interest"), _l("one-sided interests")),
    "suggestion": (_l("suggested meeting"), _l("suggested meetings")),
    "manual": (_l("meeting added by hand"), _l("meetings added by hand")),
}


def _priority_count(priority, n):
    """'3 accepted requests': a number of candidates of one priority, in words."""
    if priority == "accepted":
        return ngettext("%(num)d accepted request", "%(num)d accepted requests", n)
    if priority == "mutual":
        return ngettext("%(num)d mutual interest", "%(num)d mutual interests", n)
    if priority == "one_sided":
        return ngettext("%(num)d one-sided interest", "%(num)d one-sided interests", n)
    if priority == "suggestion":
        return ngettext("%(num)d suggested meeting", "%(num)d suggested meetings", n)
    if priority == "manual":
        return ngettext("%(num)d meeting added by hand", "%(num)d meetings added by hand", n)
    return f"{n} {priority.replace('_', ' ')}"


PRIORITY_ORDER = ("accepted", "mutual", "one_sided", "suggestion", "manual")
RANK = {p: i for i, p in enumerate(PRIORITY_ORDER)}

# What the optimiser's run ended as, for a person. Unknown codes get a generic sentence.
STATUS_WORDS = {
    "optimal": _l("The optimiser proved that no agenda places more of what was asked."),
    "feasible": _l(
        "A good agenda; the optimiser's time ran out before it could prove that none is better."
    ),
    "incomplete": _l(
        "The optimiser's time ran out before every meeting was placed: the meetings left out "
        "are listed below. Generating again with a longer time limit may place them."
    ),
    "infeasible": _l(
        "No agenda can hold every meeting that must take place with these tables, times and "
        "maxima; the meetings left out are listed below with the reason."
    ),
    "fairness_violated": _l(
        "The idle gaps could not be shared as evenly as asked: some participants have more "
        "breaks than the limit set."
    ),
}

REASON_TITLES = {
    "no_table": _l("Every table is taken when both are free"),
    "displaced": _l("One of the two already meets someone else at every time both could meet"),
    "maximum_reached": _l("A participant already has its maximum number of meetings"),
    "no_common_slot": _l("Never free at the same time"),
    "not_selected": _l("Still fits; the optimiser stopped at its time limit"),
    "suggestions_off": _l("Suggested meetings were off for this draft"),
    "duplicate_pair": _l("The same pair was offered twice"),
    "no_slot_in_order": _l(
        "No time left in the order asked (a meeting that comes before or after)"
    ),
}
REASON_ORDER = tuple(REASON_TITLES)


def _meetings(n):
    return ngettext("%(num)d meeting", "%(num)d meetings", n)


def priority_words(priority, n=1):
    one, many = PRIORITY_WORDS.get(priority, (priority.replace("_", " "),) * 2)
    return str(one if n == 1 else many)


def short_time(slot):
    """'Tue 11:15': the slot's weekday and start, as organizers say it."""
    return format_datetime(slot.starts_at, "EEE HH:mm", locale=get_locale() or "en")


def and_list(items, limit=4):
    items = [str(item) for item in items]
    if len(items) > limit:
        return _("%(items)s and %(num)s more", items=", ".join(items[:limit]),
                 num=len(items) - limit)  # fmt: skip
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s", items=", ".join(items[:-1]), last=items[-1])


def status_sentence(status):
    """The run's status in plain words; an unknown status is still told, generically."""
    if not status:
        return ""
    if status in STATUS_WORDS:
        return str(STATUS_WORDS[status])
    return _("The optimiser finished with the status “%(status)s”.",
             status=str(status).replace("_", " "))  # fmt: skip


@dataclass
class Item:
    """One unplaced pair: the two organisation names, its priority in words, the sentence."""

    first: str
    second: str
    priority: str
    sentence: str


@dataclass
class Group:
    reason: str
    title: str
    items: list = field(default_factory=list)
    remedies: list = field(default_factory=list)  # sentences: what would place them

    @property
    def count(self):
        return len(self.items)


@dataclass
class Report:
    headline: str
    status: str
    requests: str
    breaks: str
    without: list  # (organisation name, why)
    without_no_candidate: list  # organisation names nobody asked to meet
    groups: list
    details: dict
    load: dict  # slot id -> meetings in that slot
    tables: int


class _State:
    """The version as it is now: who is free when, who meets whom, tables taken per slot."""

    def __init__(self, schedule, meetings=None, participants=None):
        event = schedule.event
        self.event = event
        self.slots = list(event.slots)
        self.slot_by_id = {s.id: s for s in self.slots}
        self.tables = event.table_count or 0
        if participants is None:
            participants = approved_participants(event)
        if meetings is None:
            meetings = meetings_of(schedule)
        self.people = {p.id: p for p in participants}
        self.meetings = [m for m in meetings if m.status not in OFF]
        self.busy = defaultdict(dict)  # participant id -> {slot id: partner id}
        self.load = Counter()
        for m in self.meetings:
            self.busy[m.participant_a_id][m.slot_id] = m.participant_b_id
            self.busy[m.participant_b_id][m.slot_id] = m.participant_a_id
            if not m.online:  # tables taken: an online meeting needs none
                self.load[m.slot_id] += 1
        all_slots = [s.id for s in self.slots]
        self.available = {}
        for pid, p in self.people.items():
            off = {s.id for s in p.unavailable}
            self.available[pid] = [s for s in all_slots if s not in off]

    def name(self, pid):
        p = self.people.get(pid)
        return p.organisation.name if p is not None else _("a participant who left")

    def cap(self, pid):
        p = self.people.get(pid)
        caps = [c for c in ((p.max_meetings if p else None),
                            self.event.max_meetings_per_participant) if c]  # fmt: skip
        return min(caps) if caps else None

    def count(self, pid):
        return len(self.busy.get(pid, {}))

    def meets(self, a, b):
        return b in self.busy.get(a, {}).values()

    def free_times(self, pid):
        busy = self.busy.get(pid, {})
        return [s for s in self.available.get(pid, ()) if s not in busy]

    def common(self, a, b):
        other = set(self.available.get(b, ()))
        return [s for s in self.available.get(a, ()) if s in other]

    def both_free(self, a, b):
        return [s for s in self.common(a, b) if s not in self.busy[a] and s not in self.busy[b]]

    def times(self, slot_ids, limit=4):
        return and_list((short_time(self.slot_by_id[s]) for s in slot_ids), limit)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _sentence(reason, a, b, state):
    """The reason a pair was not placed, with names and times, as the version is now (the
    optimiser's reason code picks the sentence where the version has not changed since)."""
    na, nb = state.name(a), state.name(b)
    if reason == "suggestions_off":
        return _("%(first)s and %(second)s would be a suggested meeting; suggestions were off "
                 "for this draft.", first=na, second=nb)  # fmt: skip
    if reason == "duplicate_pair":
        return _("%(first)s and %(second)s were offered twice; a pair meets once.", first=na,
                 second=nb)  # fmt: skip
    common = state.common(a, b)
    free = state.both_free(a, b)
    open_now = [s for s in free if state.load[s] < state.tables]
    other = {a: b, b: a}
    full = [p for p in (a, b) if state.cap(p) is not None and state.count(p) >= state.cap(p)]
    if full:
        return " ".join(
            ngettext("%(name)s already has %(num)d meeting, its maximum, so it cannot also meet "
                     "%(other)s.", "%(name)s already has %(num)d meetings, its maximum, so it "
                     "cannot also meet %(other)s.", state.count(p), name=state.name(p),
                     other=state.name(other[p]))
            for p in full
        )  # fmt: skip
    booked = [p for p in (a, b) if state.available.get(p) and not state.free_times(p)]
    if booked:
        return " ".join(
            ngettext("%(name)s already meets someone at every time it is available (%(num)d "
                     "meeting), so it cannot also meet %(other)s.", "%(name)s already meets "
                     "someone at every time it is available (%(num)d meetings), so it cannot "
                     "also meet %(other)s.", state.count(p), name=state.name(p),
                     other=state.name(other[p]))
            for p in booked
        )  # fmt: skip
    if not common:
        return _("%(first)s and %(second)s are never available at the same time.", first=na,
                 second=nb)  # fmt: skip
    if open_now:
        return _("%(first)s and %(second)s are both free at %(times)s and a table is free "
                 "then: the meeting can be added by hand now.", first=na, second=nb,
                 times=state.times(open_now))  # fmt: skip
    if free:
        if len(free) < len(common):
            return _("%(first)s and %(second)s are both free only at %(times)s, and every "
                     "table is taken then.", first=na, second=nb,
                     times=state.times(free))  # fmt: skip
        return _("%(first)s and %(second)s are both free at %(times)s, and every table is "
                 "taken then.", first=na, second=nb, times=state.times(free))  # fmt: skip
    busy = []
    for s in common[:3]:
        for p in (a, b):
            partner = state.busy[p].get(s)
            if partner is not None:
                busy.append(_("at %(time)s %(name)s meets %(partner)s",
                              time=state.times([s]), name=state.name(p),
                              partner=state.name(partner)))  # fmt: skip
                break
    more = (
        ""
        if len(common) <= 3
        else " "
        + ngettext("(and %(num)d other time)", "(and %(num)d other times)", len(common) - 3)
    )
    return ngettext("%(first)s and %(second)s are both available at %(num)d time, and one of "
                    "them already meets someone at each: %(busy)s%(more)s.", "%(first)s and "
                    "%(second)s are both available at %(num)d times, and one of them already "
                    "meets someone at each: %(busy)s%(more)s.", len(common), first=na,
                    second=nb, busy="; ".join(busy), more=more)  # fmt: skip


def _table_plan(items, state):
    """More tables, and where, that would place the `no_table` pairs: a greedy placement into
    the slots where both are free (accepted requests first), keeping each participant to one
    meeting a slot and within its maximum. Returns {slot id: [(a, b, priority)]}."""
    plan = defaultdict(list)
    taken = defaultdict(set)  # slot -> participants placed there by the plan
    extra = Counter()
    for a, b, priority in sorted(items, key=lambda i: RANK.get(i[2], len(RANK))):
        free = state.both_free(a, b)
        room = [p for p in (a, b) if state.cap(p) is not None
                and state.count(p) + extra[p] >= state.cap(p)]  # fmt: skip
        if room or not free:
            continue
        usable = [s for s in free if a not in taken[s] and b not in taken[s]]
        if not usable:
            continue
        slot = max(usable, key=lambda s: (len(plan[s]), -state.slots.index(state.slot_by_id[s])))
        plan[slot].append((a, b, priority))
        taken[slot] |= {a, b}
        extra[a] += 1
        extra[b] += 1
    return plan


def _kinds(entries):
    counts = Counter(priority for _a, _b, priority in entries)
    return and_list(
        _priority_count(p, counts[p])
        for p in PRIORITY_ORDER + tuple(sorted(set(counts) - set(PRIORITY_ORDER)))
        if counts[p]
    )


def _remedies(reason, entries, state):
    if reason == "no_table":
        plan = _table_plan(entries, state)
        lines = [
            ngettext(
                "%(num)d more table at %(time)s would place %(kinds)s.",
                "%(num)d more tables at %(time)s would place %(kinds)s.",
                len(placed),
                time=state.times([slot]),
                kinds=_kinds(placed),
            )
            for slot, placed in sorted(plan.items(), key=lambda kv: -len(kv[1]))[:5]
        ]
        if len(plan) > 5:
            rest = sum(len(v) for k, v in sorted(plan.items(), key=lambda kv: -len(kv[1]))[5:])
            lines.append(ngettext("More tables at %(num)d other time would place %(more)s.",
                                  "More tables at %(num)d other times would place %(more)s.",
                                  len(plan) - 5,
                                  more=ngettext("%(num)d more meeting", "%(num)d more meetings",
                                                rest)))  # fmt: skip
        return lines
    if reason == "maximum_reached":
        at_max, booked = Counter(), Counter()
        for a, b, _p in entries:
            for p in (a, b):
                if state.cap(p) is not None and state.count(p) >= state.cap(p):
                    at_max[p] += 1
                elif state.available.get(p) and not state.free_times(p):
                    booked[p] += 1
        lines = [
            ngettext(
                "%(name)s is at its maximum of %(num)d meeting; raising it would let "
                "%(more)s be tried.",
                "%(name)s is at its maximum of %(num)d meetings; "
                "raising it would let %(more)s be tried.",
                state.cap(p),
                name=state.name(p),
                more=ngettext("%(num)d more meeting", "%(num)d more meetings", n),
            )
            for p, n in at_max.most_common(3)
        ]
        if booked:
            names = and_list((state.name(p) for p, _n in booked.most_common(3)), 3)
            lines.append(
                ngettext("%(num)d participant (%(names)s) meet someone at every time they are "
                         "available: one more session (try it in the capacity planner) gives "
                         "them room.", "%(num)d participants (%(names)s) meet someone at every "
                         "time they are available: one more session (try it in the capacity "
                         "planner) gives them room.", len(booked),
                         names=names + ("" if len(booked) <= 3 else ", …"))
            )  # fmt: skip
        return lines
    if reason == "displaced":
        return [_("Move or remove one of the meetings named, or try one more session in the "
                  "capacity planner.")]  # fmt: skip
    if reason == "not_selected":
        return [_("Generate again with a longer time limit.")]
    if reason == "suggestions_off":
        return [_("Generate again with “fill free slots with suggested meetings” on.")]
    if reason == "no_common_slot":
        return [_("They can meet only if one of them changes its availability.")]
    return []


def _accepted_pairs(event):
    return {
        (min(a, b), max(a, b))
        for a, b in db.session.execute(
            sa.select(MeetingRequest.sender_id, MeetingRequest.receiver_id).where(
                MeetingRequest.event_id == event.id, MeetingRequest.status == "accepted"
            )
        ).all()
    }


def unplaced_groups(schedule, state=None):
    """The unplaced candidates of `schedule` grouped by reason (largest group first within
    the order of REASON_ORDER), each item a sentence with names and times, each group with
    what would place them. Cost O(unplaced × slots)."""
    state = state or _State(schedule)
    by_reason = defaultdict(list)
    for u in (schedule.figures or {}).get("unplaced") or []:
        a, b = _int(u.get("a")), _int(u.get("b"))
        if a is None or b is None or state.meets(a, b):  # placed by hand since
            continue
        by_reason[u.get("reason") or "unknown"].append((a, b, u.get("priority") or "manual"))
    groups = []
    for reason in sorted(by_reason, key=lambda r: (REASON_ORDER + (r,)).index(r)):
        # The most wanted first: accepted requests, then mutual interests, and so on.
        entries = sorted(by_reason[reason], key=lambda e: RANK.get(e[2], len(RANK)))
        group = Group(reason, str(REASON_TITLES.get(reason, _("Not placed"))))
        for a, b, priority in entries:
            group.items.append(
                Item(state.name(a), state.name(b), priority_words(priority),
                     _sentence(reason, a, b, state))
            )  # fmt: skip
        group.remedies = _remedies(reason, entries, state)
        groups.append(group)
    return groups


def _capacity(state, pairs):
    """At most how many meetings the version could hold: no more than half the seats
    participants bring (each one's maximum, free times and number of possible partners),
    nor a flow where each candidate pair takes at most one of the slots both are free in
    and each slot at most its tables (a relaxation: it lets a participant sit at two tables
    at once, so it is an upper bound, cheap to compute; SciPy's max flow, O(pairs x slots))."""
    degree = Counter()
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    seats = 0
    for pid, d in degree.items():
        limits = [d, len(state.available.get(pid, ()))]
        if state.cap(pid) is not None:
            limits.append(state.cap(pid))
        seats += min(limits)
    return min(_slot_flow(state, pairs), seats // 2)


def _slot_flow(state, pairs):
    if not pairs or not state.slots or not state.tables:
        return 0
    people = sorted({p for pair in pairs for p in pair})
    row = {p: i for i, p in enumerate(people)}
    column = {s.id: i for i, s in enumerate(state.slots)}
    n_pairs, n_slots = len(pairs), len(state.slots)
    free = np.zeros((len(people), n_slots), dtype=bool)
    for p in people:
        free[row[p], [column[s] for s in state.available.get(p, ())]] = True
    first = np.array([row[a] for a, _b in pairs])
    second = np.array([row[b] for _a, b in pairs])
    pair_of, slot_of = np.nonzero(free[first] & free[second])  # each pair's common slots
    source, sink = 0, 1 + n_pairs + n_slots
    used = np.unique(pair_of)
    start = np.concatenate([np.zeros(len(used)), 1 + pair_of, 1 + n_pairs + np.arange(n_slots)])
    end = np.concatenate([1 + used, 1 + n_pairs + slot_of, np.full(n_slots, sink)])
    capacity = np.concatenate([np.ones(len(used) + len(pair_of)), np.full(n_slots, state.tables)])
    graph = scipy.sparse.csr_matrix(
        (capacity.astype(np.int32), (start.astype(np.int32), end.astype(np.int32))),
        shape=(sink + 1, sink + 1),
    )
    return int(maximum_flow(graph, source, sink).flow_value)


def report(schedule, meetings=None, participants=None):
    """The version's figures and unplaced meetings in words (see the module docstring).
    `meetings` (meetings_of) and `participants` (approved_participants), when the caller has
    them already, save loading them again. Cost: O(meetings + unplaced x slots) and a max
    flow over candidate pairs x slots (about 0.1 s at 2,000 participants)."""
    state = _State(schedule, meetings, participants)
    f = schedule.figures or {}
    unplaced = [
        (_int(u.get("a")), _int(u.get("b")), u.get("reason"))
        for u in f.get("unplaced") or []
    ]  # fmt: skip
    pairs = {(min(m.participant_a_id, m.participant_b_id),
              max(m.participant_a_id, m.participant_b_id)) for m in state.meetings}  # fmt: skip
    candidate_pairs = pairs | {(min(a, b), max(a, b)) for a, b, _r in unplaced if a and b}
    placed = len(state.meetings)
    possible = max(_capacity(state, sorted(candidate_pairs)), placed)
    headline = ngettext("%(num)d meeting placed; at most %(possible)s are possible.",
                        "%(num)d meetings placed; at most %(possible)s are possible.", placed,
                        possible=possible)  # fmt: skip
    if possible == placed:
        headline = ngettext("%(num)d meeting placed: as many as are possible.",
                            "%(num)d meetings placed: as many as are possible.",
                            placed)  # fmt: skip

    accepted = _accepted_pairs(schedule.event)
    honoured = len(accepted & pairs)
    requests = (ngettext("%(honoured)s of %(num)d accepted request have a meeting.",
                         "%(honoured)s of %(num)d accepted requests have a meeting.",
                         len(accepted), honoured=honoured)
                if accepted else _("No accepted request to place."))  # fmt: skip

    groups = group_placement.people_by_meeting(state.meetings)
    breaks = scheduling.count_breaks(
        _plain_slots(state),
        [_plain_meeting(m) for m in state.meetings if m.id not in groups],
        [
            scheduling.PlacedGroup(str(m.id), tuple(str(p.id) for p in groups[m.id]),
                                   str(m.slot_id), 0)
            for m in state.meetings if m.id in groups
        ],  # group meetings: every member's slot counts
    )  # fmt: skip
    total, worst = sum(breaks.values()), max(breaks.values(), default=0)
    if total == 0:
        breaks_text = _("Nobody has an idle gap between two meetings of the same day.")
    else:
        breaks_text = ngettext("%(num)d idle gap between two meetings of the same day in "
                               "all; nobody has more than %(worst)s.", "%(num)d idle gaps "
                               "between two meetings of the same day in all; nobody has more "
                               "than %(worst)s.", total, worst=worst)  # fmt: skip
        if f.get("breaks_total") == total and f.get("breaks_optimal"):
            breaks_text += " " + _("That is the fewest possible.")
        elif f.get("breaks_total") == total and f.get("breaks_bound") is not None:
            breaks_text += " " + _("At least %(num)s cannot be avoided.",
                                   num=f["breaks_bound"])  # fmt: skip

    busy = {p for pair in pairs for p in pair}
    why = {}
    for a, b, reason in unplaced:
        if state.meets(a, b):
            continue
        for p in (a, b):
            if p in state.people and p not in busy and p not in why:
                why[p] = _sentence(reason, a, b, state)
    candidates_of = {p for pair in candidate_pairs for p in pair}
    without = sorted(
        (state.name(p), why.get(p, _("No meeting was placed for it.")) )
        for p in state.people if p not in busy and p in candidates_of
    )  # fmt: skip
    nobody = sorted(state.name(p) for p in state.people if p not in busy and p not in candidates_of)
    details = {k: f.get(k) for k in ("method", "objective", "bound", "gap", "seconds", "status")}
    return Report(
        headline=headline,
        status=status_sentence(f.get("status")),
        requests=requests,
        breaks=breaks_text,
        without=without,
        without_no_candidate=nobody,
        groups=unplaced_groups(schedule, state),
        details=details,
        load=dict(state.load),
        tables=state.tables,
    )


def _plain_slots(state):
    return scheduling.Instance(
        slots=tuple(
            scheduling.Slot(
                str(s.id),
                f"{s.starts_at:%Y-%m-%d}",
                f"{s.starts_at:%H:%M}",
                f"{s.ends_at:%H:%M}",
                state.tables,
            )
            for s in state.slots
        ),  # fmt: skip
        participants=tuple(scheduling.Participant(str(p)) for p in state.people),
    )


def _plain_meeting(m):
    return scheduling.PlacedMeeting(
        str(m.participant_a_id), str(m.participant_b_id), str(m.slot_id), 0
    )


def unplaced_rows(schedule):
    """Rows for the export of unplaced candidates: reason group, first and second
    organisation, priority, the reason in words."""
    return [
        (group.title, item.first, item.second, item.priority, item.sentence)
        for group in unplaced_groups(schedule)
        for item in group.items
    ]


# The grid's priority filter: what an organizer picks -> Meeting.source values.
GRID_PRIORITIES = {
    "request": (_l("Accepted request"), ("request",)),
    "mutual": (_l("Mutual interest"), ("mutual_interest",)),
    "interest": (_l("One-sided interest"), ("interest",)),
    "suggested": (_l("Suggested"), ("suggestion",)),
    "manual": (_l("Added by hand"), ("manual", "walk_in")),
}


def fold(text):
    """Lower case without accents, so that 'arges' finds 'Argeș'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# Tables shown side by side; an event with more is seen through a window that moves.
GRID_TABLES = 20
# With a filter, the tables holding a matching meeting are added to the window, up to this.
GRID_MATCHING_TABLES = 40


@dataclass
class Grid:
    """What the version's grid shows: which meetings match the filters, the participant in
    focus (with the slots it is free in and those it cannot attend), meetings per slot."""

    matching: set
    focus: object
    focus_free: set
    focus_unavailable: set
    load: Counter
    countries: list
    filtered: bool
    columns: list = field(default_factory=list)  # the tables shown, in number order
    first: int = 1  # the window of tables shown: its first table's position (1-based)
    total: int = 0
    width: int = GRID_TABLES


def grid(meetings, participants, tables=(), q="", country="", priority="", focus_id=0,
         first=1):  # fmt: skip
    """Filter the grid of a version. `q` is matched (case and accents ignored) against the
    organisation and person names; when it names exactly one participant, that one is in
    focus unless `focus_id` picks another. `country` is an organisation's country code,
    `priority` a key of GRID_PRIORITIES. Of `tables` (in number order), the window of
    GRID_TABLES from position `first` is shown, plus, with a filter, the tables holding a
    matching meeting (at most GRID_MATCHING_TABLES). Cost O(meetings + participants)."""
    people = {p.id: p for p in participants}
    needle = fold(q.strip())

    def named(p):
        person = p.user.name if p.user is not None else ""
        return needle in fold(p.organisation.name) or (person and needle in fold(person))

    found = {p.id for p in participants if named(p)} if needle else set()
    focus = people.get(focus_id) or (people[next(iter(found))] if len(found) == 1 else None)
    sources = GRID_PRIORITIES.get(priority, (None, None))[1]
    matching = set()
    load = Counter()
    for m in meetings:
        if m.status in OFF:
            continue
        if not m.online:  # the grid's load is of tables
            load[m.slot_id] += 1
        pair = (m.participant_a, m.participant_b)
        if needle and not (m.participant_a_id in found or m.participant_b_id in found):
            continue
        if country and country not in (p.organisation.country for p in pair):
            continue
        if sources and m.source not in sources:
            continue
        matching.add(m.id)
    free, unavailable = set(), set()
    if focus is not None:
        busy = {m.slot_id for m in meetings if m.status not in OFF
                and focus.id in (m.participant_a_id, m.participant_b_id)}  # fmt: skip
        unavailable = {s.id for s in focus.unavailable}
        free = {s.id for s in focus.event.slots} - busy - unavailable
    countries = sorted({p.organisation.country for p in participants if p.organisation.country})
    filtered = bool(needle or country or sources or focus)
    tables = list(tables)
    first = min(max(1, first), max(1, len(tables) - GRID_TABLES + 1))
    shown = {t.id for t in tables[first - 1 : first - 1 + GRID_TABLES]}
    if filtered:
        used = {m.table_id for m in meetings if m.id in matching}
        holding = [t.id for t in tables if t.id in used]
        shown |= set(holding[:GRID_MATCHING_TABLES])
    columns = [t for t in tables if t.id in shown]
    return Grid(matching, focus, free, unavailable, load, countries, filtered, columns, first,
                len(tables))  # fmt: skip
