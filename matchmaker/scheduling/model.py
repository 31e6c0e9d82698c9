"""Inputs and outputs of the schedule optimiser: frozen dataclasses, no behaviour beyond checks.

Identifiers (participants, slots) are strings. Tables are numbered 1..``Slot.tables``; an
online meeting (``online=True``: held by video) takes no table, so ``Slot.tables`` caps only the
meetings in the hall.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Priority classes, most important first. The optimiser places every accepted request it can,
#: then mutual interests, then maximises the total weight.
ACCEPTED = "accepted"
MUTUAL = "mutual"
ONE_SIDED = "one_sided"
SUGGESTION = "suggestion"
PRIORITIES = (ACCEPTED, MUTUAL, ONE_SIDED, SUGGESTION)
#: Priority of a locked meeting that is not among the candidates (added by the organizer).
MANUAL = "manual"

#: Reasons given for candidates that were not placed.
REASON_DUPLICATE = "duplicate_pair"
REASON_NO_COMMON_SLOT = "no_common_slot"
REASON_MAXIMUM = "maximum_reached"
REASON_NO_TABLE = "no_table"
REASON_DISPLACED = "displaced"
REASON_SUGGESTIONS_OFF = "suggestions_off"
REASON_NOT_SELECTED = "not_selected"
#: No slot it may use keeps it after (or before) the locked meetings it is ordered against.
REASON_ORDER = "no_slot_in_order"
#: Both partners sit in the same placed group meeting: they meet there, not as a pair too.
REASON_IN_GROUP = "met_in_group"
#: Group meetings left out: no slot where every member is available and free of locked
#: meetings (``no_common_slot``), a member at its maximum (``maximum_reached``), or no table
#: with a seat for every member left in any such slot (``no_table``).

#: Seats of a table the instance does not describe (``Instance.tables``): a pair's table.
DEFAULT_SEATS = 2
#: A group meeting has at least this many members (two are a pair: make it a candidate).
GROUP_MIN_MEMBERS = 3

#: ``Figures.status`` values. The last three mean a requirement did not hold (non-zero exit).
STATUS_OPTIMAL = "optimal"
STATUS_FEASIBLE = "feasible"
STATUS_INCOMPLETE = "incomplete"  # a required meeting (fixed-meetings mode) is not placed
STATUS_INFEASIBLE = "infeasible"  # proved: no agenda places them all within the bound
STATUS_FAIRNESS_VIOLATED = "fairness_violated"  # max - min breaks above break_fairness
FAILED_STATUSES = (STATUS_INCOMPLETE, STATUS_INFEASIBLE, STATUS_FAIRNESS_VIOLATED)

#: ``LockConflict.reason`` values: the lock is kept where the organizer put it, and said.
CONFLICT_NOT_ALLOWED = "outside_allowed_slots"
CONFLICT_UNAVAILABLE = "unavailable"
CONFLICT_ORDER = "order"


class InstanceError(ValueError):
    """The instance is malformed or contradicts itself (message names the culprit)."""


@dataclass(frozen=True)
class Slot:
    """One meeting time. ``day`` is an ISO date and ``start``/``end`` are ``HH:MM`` so that
    sorting the strings sorts the slots in time; ``tables`` is how many meetings in the hall fit
    in it (online meetings need no table)."""

    id: str
    day: str
    start: str
    end: str
    tables: int


@dataclass(frozen=True)
class Participant:
    """A registration. ``slots`` are the slots it is available in (``None``: every slot);
    ``max_meetings`` caps its meetings (``None``: one per slot); ``min_meetings`` overrides
    ``Options.min_meetings`` for it (a soft target, rewarded, never forced)."""

    id: str
    slots: frozenset[str] | None = None
    max_meetings: int | None = None
    min_meetings: int | None = None


@dataclass(frozen=True)
class Candidate:
    """A meeting the optimiser may place: the pair ``a``-``b`` (unordered), its priority class
    (one of ``PRIORITIES``), its weight (the match score, >= 0, typically in [0, 1]) and
    optionally the only slots it may use (``None``: any common slot).

    ``id`` names the meeting (``None``: generated from its position, ``c0``, ``c1``...; see
    ``meetings.index``); ``after`` lists ids of meetings that must be in an earlier slot when
    both are placed. A pair offered twice is two meetings in fixed-meetings mode, and in the
    normal mode when at least two of its candidates carry explicit ids. ``online``: held by
    video, so it takes no table."""

    a: str
    b: str
    priority: str = SUGGESTION
    weight: float = 0.0
    slots: frozenset[str] | None = None
    id: str | None = None
    after: tuple[str, ...] = ()
    online: bool = False


@dataclass(frozen=True)
class LockedMeeting:
    """A meeting fixed by the organizer: always placed in ``slot``, at ``table`` if given.
    ``id``, ``after`` and ``online`` as for ``Candidate`` (generated ids: ``l0``, ``l1``...);
    an online meeting has no table."""

    a: str
    b: str
    slot: str
    table: int | None = None
    id: str | None = None
    after: tuple[str, ...] = ()
    online: bool = False


@dataclass(frozen=True)
class Table:
    """How many people table ``number`` seats (in every slot that has it). Tables the
    instance does not describe seat ``DEFAULT_SEATS``."""

    number: int
    seats: int


@dataclass(frozen=True)
class Group:
    """A group meeting: all ``members`` (three or more) meet once, in one slot where every
    one of them is available and free, at one table with a seat for each. It counts toward
    each member's ``max_meetings``. ``title`` is carried through for the caller."""

    id: str
    members: tuple[str, ...]
    title: str = ""


@dataclass(frozen=True)
class Options:
    """Organizer's settings.

    - ``min_meetings``: every participant should get at least this many meetings (soft: each
      meeting below the target is rewarded by ``fairness_reward`` in the objective); 0 still
      rewards a participant's first meeting, so nobody is left out who could meet.
    - ``fill_with_suggestions``: whether suggestions (no interest expressed) may fill free slots.
    - ``break_fairness``: bound on max - min breaks over participants (``None``: no bound).
    - ``fixed_meetings``: every candidate and locked meeting must be placed; only their slots
      are optimised (fewest breaks within ``break_fairness``), the published B2B problem.
    - ``reduce_breaks``: run the break-reduction stage.
    - ``fairness_reward``: objective reward for each meeting a participant has below its target
      (``None``: the largest candidate weight).
    """

    min_meetings: int = 0
    fill_with_suggestions: bool = True
    break_fairness: int | None = None
    fixed_meetings: bool = False
    reduce_breaks: bool = True
    fairness_reward: float | None = None


@dataclass(frozen=True)
class Instance:
    """Everything the optimiser needs. Use ``instance.validate()`` (``parse_instance`` does)
    before solving data from outside."""

    slots: tuple[Slot, ...]
    participants: tuple[Participant, ...]
    candidates: tuple[Candidate, ...] = ()
    locked: tuple[LockedMeeting, ...] = ()
    options: Options = field(default_factory=Options)
    groups: tuple[Group, ...] = ()
    tables: tuple[Table, ...] = ()

    def seats(self, number: int) -> int:
        """Seats of table ``number`` (``DEFAULT_SEATS`` when not described)."""
        for t in self.tables:
            if t.number == number:
                return t.seats
        return DEFAULT_SEATS

    def validate(self) -> None:
        """Raise ``InstanceError`` on the first problem found (unknown ids, duplicates,
        negative numbers, locked meetings that break a hard constraint). Cost O(size)."""
        from matchmaker.scheduling.validation import validate_instance

        validate_instance(self)


@dataclass(frozen=True)
class PlacedMeeting:
    """A meeting in the schedule. ``priority`` is the candidate's class (``"manual"`` for a
    locked meeting that is no candidate); ``locked`` tells whether the organizer fixed it;
    ``online``: held by video, ``table`` is then 0 (none)."""

    a: str
    b: str
    slot: str
    table: int
    priority: str = MANUAL
    weight: float = 0.0
    locked: bool = False
    id: str = ""
    online: bool = False


@dataclass(frozen=True)
class PlacedGroup:
    """A group meeting in the schedule: every member at ``table`` in ``slot``."""

    id: str
    members: tuple[str, ...]
    slot: str
    table: int
    title: str = ""


@dataclass(frozen=True)
class UnplacedGroup:
    """A group meeting left out, with a reason code (``REASON_*``) and a sentence naming ids."""

    id: str
    members: tuple[str, ...]
    reason: str
    detail: str
    title: str = ""


@dataclass(frozen=True)
class Unplaced:
    """A candidate left out, with a reason code (``REASON_*``) and a sentence naming ids."""

    a: str
    b: str
    priority: str
    weight: float
    reason: str
    detail: str
    id: str = ""


@dataclass(frozen=True)
class LockConflict:
    """A locked meeting against a restriction of the instance: its slot is outside the
    candidate's allowed slots (``outside_allowed_slots``) or a partner's availability
    (``unavailable``), or two locked meetings contradict an ``after`` (``order``). The lock
    is still placed (the organizer's call); ``check`` flags it and ``solve`` exits 1."""

    id: str
    a: str
    b: str
    slot: str
    reason: str
    detail: str


@dataclass(frozen=True)
class Figures:
    """How good the schedule is.

    - ``placed`` / ``candidates``: meetings per priority class (placed, and offered).
    - ``objective``: value of the schedule under the optimiser's objective (class bonuses +
      weights + fairness rewards); ``bound``: a proven upper bound on that value over every
      feasible schedule (LP relaxation or solver bound); ``gap`` = (bound - objective) / bound.
    - ``total_weight``: sum of the weights of placed meetings.
    - ``breaks_total`` / ``breaks_max``: breaks (runs of idle slots between two meetings of one
      participant on one day), summed over participants and the largest one's.
    - ``breaks_min``: the smallest break count among participants with a meeting.
    - ``breaks_optimal``: the break count is proven minimal for these meetings.
    - ``breaks_bound``: a proven lower bound on ``breaks_total`` over every agenda of these
      meetings within ``break_fairness`` (equal to it when ``breaks_optimal``); None when no
      exact stage ran or it settled nothing.
    - ``table_moves``: times a participant changes table between consecutive meetings.
    - ``zero_meeting_participants``: ids without a meeting although a candidate was feasible;
      ``without_meetings``: all ids without a meeting.
    - ``accepted_feasible``: accepted requests that could be placed on their own.
    - ``status``: ``optimal`` (the objective is proven optimal; in fixed-meetings mode: the
      break count is) or ``feasible``: every requirement holds. Otherwise (``FAILED_STATUSES``)
      ``incomplete`` (fixed meetings: some left out, not proven impossible), ``infeasible``
      (fixed meetings: proven that no agenda places them all within ``break_fairness``) or
      ``fairness_violated`` (every meeting placed, but max - min breaks is above the bound).
    - ``status_detail``: one sentence saying why, when the status is not optimal/feasible.
    - ``method``: which pipeline ran; ``seconds``: wall time.
    """

    placed: dict[str, int]
    candidates: dict[str, int]
    objective: float
    bound: float
    gap: float
    total_weight: float
    breaks_total: int
    breaks_max: int
    breaks_min: int
    breaks_optimal: bool
    breaks_bound: int | None
    table_moves: int
    zero_meeting_participants: tuple[str, ...]
    without_meetings: tuple[str, ...]
    accepted_feasible: int
    status: str
    method: str
    seconds: float
    status_detail: str = ""
    groups: int = 0  # group meetings offered
    groups_placed: int = 0


@dataclass(frozen=True)
class Schedule:
    """The optimiser's answer: meetings sorted by slot then table, unplaced candidates, figures."""

    meetings: tuple[PlacedMeeting, ...]
    unplaced: tuple[Unplaced, ...]
    figures: Figures | None = None
    conflicts: tuple[LockConflict, ...] = ()
    groups: tuple[PlacedGroup, ...] = ()
    unplaced_groups: tuple[UnplacedGroup, ...] = ()


def pair_key(a: str, b: str) -> tuple[str, str]:
    """The unordered pair as a sorted tuple, the key used everywhere for 'no pair twice'."""
    return (a, b) if a <= b else (b, a)
