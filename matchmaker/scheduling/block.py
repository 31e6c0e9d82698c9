"""The block model of the fewest breaks on a fixed set of meetings, stated once for both exact
engines: CP-SAT (``breaks_exact``) and CaDiCaL through PySAT (``breaks_sat``).

It follows the Boolean view of the MaxSAT encodings of the B2B meeting scheduling problem
(Bofill, Coll, Garcia, Giráldez-Cru, Pesant, Suy, Villaret, JAIR 2022): each participant's day
is a sequence of busy and idle slots.

- ``x[k, s]``: meeting ``k`` in slot ``s`` (only slots it may use); exactly one per meeting;
  at most the tables left after locked meetings per slot.
- ``busy[p, s]`` = sum of p's ``x`` in ``s`` (at most one of them; certain for a locked
  meeting, absent where p cannot meet); exactly ``n_p`` busy slots per participant.
- ``ended[p, s]``: p meets in ``s`` or later that day (a suffix OR).
- a break starts in ``s`` iff p is busy in ``s - 1``, idle in ``s`` and ``ended[p, s + 1]``;
  breaks(p) = its break starts = blocks of consecutive meetings - 1 per day, the definition
  of ``core.breaks_of``. The objective is the sum of these literals (plus the certain ones).

Implied constraints (``implied=True``), stated for a literal ``nb[p, day]`` = "no break that
day" (true when every break-start literal of the day is false):

- span: ``nb ∧ busy[a] → ¬busy[c]`` for slots at least ``n_p`` apart;
- interval: for participants who can only meet on one day, an order encoding ``F[i]`` <->
  "first meeting at or before slot i"; under ``nb`` ``busy[i] <-> F[i] ∧ ¬F[i - n_p]``, so the
  whole day of a break-free participant hangs on one integer (its first slot);
- per slot, participants busy <= 2 x tables (each meeting seats two): the table rows summed
  over participants. Redundant, yet it is what lets CP-SAT refute "no break at all" on the
  denser benchmark instances in under a second (60/200, 70/240: > 25 s without).

Fairness (max - min breaks <= ``fairness``) becomes breaks(p) <= ``fairness`` for everyone
when somebody surely has no break (one meeting), the usual case; otherwise the engine states
it its own way, or leaves it out (``Block.fair_encoded``).

Certain literals are the Python objects ``True`` and ``False`` here; they are simplified away
before anything reaches the solver (``Backend``), so a back end only sees its own literals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from matchmaker.scheduling.core import breaks_of
from matchmaker.scheduling.place import State


class Backend(Protocol):
    """What the block model needs of a solver: Boolean literals and four kinds of constraint."""

    def new(self, name: str, value: int) -> object:
        """A new Boolean; ``value`` is its value in the agenda of ``st`` (a hint, a phase)."""

    def neg(self, lit: object) -> object:
        """The negation of one of its literals."""

    def clause(self, lits: list) -> None:
        """At least one of ``lits`` (an empty list: infeasible)."""

    def at_most(self, lits: list, k: int) -> None:
        """At most ``k`` of ``lits`` (``k`` < 0: infeasible)."""

    def exactly(self, lits: list, k: int) -> None:
        """Exactly ``k`` of ``lits`` (0 <= ``k`` <= len(lits))."""

    def sum_of(self, lits: list, name: str, value: int) -> object:
        """A new Boolean equal to the sum of ``lits``, at most one of which holds."""


@dataclass
class Block:
    """The literals of the block model that the engines read back or constrain further."""

    x: dict[tuple[int, int], object]  # (meeting, slot) -> literal
    objective: list  # break-start literals
    constant: int  # certain breaks (from locked meetings)
    per_person: dict[int, tuple[list, int]]  # counted participant -> (its literals, certain)
    meetings_of: dict[int, int]  # participant -> meetings (locked ones included)
    fair_encoded: bool  # fairness stated as per-person caps (or not asked)
    complete: bool  # every meeting placed in ``st``: its agenda is a full hint
    before: int | None  # breaks of that agenda
    fair: bool  # that agenda keeps max - min breaks <= fairness

    @property
    def lits_of(self) -> dict[int, list]:
        """Break-start literals per counted participant."""
        return {p: lits for p, (lits, _c) in self.per_person.items()}


def _certain(lit: object) -> bool:
    return lit is True or lit is False


def clause_writers(be: Backend):
    """(clause, neg) over ``be`` where a literal may also be the constant True or False (a
    meeting fixed in or out of a slot): ``clause(*lits)`` drops False literals and is void
    with a True one."""

    def neg(lit):
        return (not lit) if _certain(lit) else be.neg(lit)

    def clause(*lits) -> None:
        if any(lit is True for lit in lits):
            return
        be.clause([lit for lit in lits if lit is not False])

    return clause, neg


def encode(
    st: State,
    be: Backend,
    fairness: int | None = None,
    meetings: list[int] | None = None,
    implied: bool = True,
    counted: set[int] | None = None,
) -> Block | None:
    """State the block model of the meetings of ``st`` (or ``meetings``, which may include
    unplaced ones) in ``be``; None when trivially infeasible (a meeting without a usable slot,
    a participant over its maximum or with more meetings than slots, a certain break count
    above the fairness bound). ``counted`` (default: everyone) limits the objective to those
    participants' breaks; the others keep their meetings and seats (a relaxation).
    Cost O(meetings · slots + participants · slots²) constraints."""
    prob = st.prob
    S = prob.n_slots
    if meetings is None:
        meetings = [k for k, s in enumerate(st.slot_of) if s >= 0]
    complete = all(st.slot_of[k] >= 0 for k in meetings)

    clause, neg = clause_writers(be)

    def cur(p: int, s: int) -> int:
        return (st.busy[p] >> s) & 1

    x: dict[tuple[int, int], object] = {}
    by_ps: dict[tuple[int, int], list] = {}
    by_slot: dict[int, list] = {}
    for k in meetings:
        vs = []
        for s in range(S):
            if (prob.usable[k] >> s) & 1:
                v = x[k, s] = be.new(f"x{k}_{s}", int(st.slot_of[k] == s))
                vs.append(v)
                by_ps.setdefault((prob.ca[k], s), []).append(v)
                by_ps.setdefault((prob.cb[k], s), []).append(v)
                if prob.seated[k]:  # an online meeting takes no table
                    by_slot.setdefault(s, []).append(v)
        if not vs:
            return None
        be.exactly(vs, 1)
    for s, vs in by_slot.items():
        be.at_most(vs, prob.cap_left[s])
    if prob.ordered:
        _precedences(st, x, meetings, clause, neg)

    people = sorted({p for k in meetings for p in (prob.ca[k], prob.cb[k])})
    n_of = {p: prob.locked_busy[p].bit_count() for p in people}
    reach = {p: prob.locked_busy[p] for p in people}
    for k in meetings:
        for p in (prob.ca[k], prob.cb[k]):
            n_of[p] += 1
            reach[p] |= prob.usable[k]
    if any(n_of[p] > prob.max_meetings[p] for p in people):
        return None
    days = [[s for s in range(S) if (dm >> s) & 1] for dm in prob.day_masks]

    objective: list = []
    constant = 0
    per_person: dict[int, tuple[list, int]] = {}
    surely_zero = False
    busy_of: dict[int, list] = {}
    for p in people:
        busy: list = []
        for s in range(S):
            vs = by_ps.get((p, s), [])
            if (prob.locked_busy[p] >> s) & 1:
                busy.append(True)
            elif not vs:
                busy.append(False)
            elif len(vs) == 1:
                busy.append(vs[0])
            else:
                busy.append(be.sum_of(vs, f"busy{p}_{s}", cur(p, s)))
        free = [b for b in busy if not _certain(b)]
        need = n_of[p] - prob.locked_busy[p].bit_count()
        if need > len(free):
            return None  # more meetings than slots they could use
        be.exactly(free, need)
        busy_of[p] = busy
        if counted is not None and p not in counted:
            continue  # a partner only: seats and slots, its breaks are not counted
        n_p = n_of[p]
        if n_p <= 1:
            surely_zero = True  # one meeting: never a break
            per_person[p] = ([], 0)
            continue
        one_day = sum(1 for dm in prob.day_masks if dm & reach[p]) == 1
        p_lits: list = []
        p_const = 0
        for day in days:
            idx = [i for i, s in enumerate(day) if busy[s] is not False]
            if not idx:
                continue
            seg = day[idx[0] : idx[-1] + 1]  # from the first to the last slot p might use
            bs = [busy[s] for s in seg]
            L = len(bs)
            if all(_certain(b) for b in bs):
                p_const += breaks_of(sum(1 << s for s, b in zip(seg, bs, strict=True) if b), prob)
                continue
            if L <= 2:
                continue
            # ended[i]: busy in seg[i] or later
            ended: list = [False] * (L + 1)
            for i in range(L - 1, -1, -1):
                b, nxt = bs[i], ended[i + 1]
                if b is True or nxt is True:
                    ended[i] = True
                elif b is False or nxt is False:
                    ended[i] = nxt if b is False else b
                else:
                    e = be.new(f"e{p}_{seg[i]}", int(any(cur(p, t) for t in seg[i:])))
                    clause(neg(b), e)
                    clause(neg(nxt), e)
                    clause(neg(e), b, nxt)
                    ended[i] = e
            day_lits = []
            certain = p_const  # breaks certain before this day's literals
            for i in range(1, L - 1):
                before, b, later = bs[i - 1], bs[i], ended[i + 1]
                if before is False or later is False or b is True:
                    continue
                if before is True and later is True and b is False:
                    p_const += 1  # busy before and after, idle here for sure
                    continue
                was = (
                    cur(p, seg[i - 1])
                    and not cur(p, seg[i])
                    and any(cur(p, t) for t in seg[i + 1 :])
                )
                z = be.new(f"br{p}_{seg[i]}", int(bool(was)))
                clause(z, neg(before), b, neg(later))  # z <-> before ∧ ¬b ∧ later
                clause(neg(z), before)
                clause(neg(z), neg(b))
                clause(neg(z), later)
                day_lits.append(z)
            p_lits += day_lits
            if not implied or not day_lits or n_p >= L or p_const > certain:
                # (a certain break this day, from locked meetings: no break-free variant)
                continue
            day_mask = sum(1 << s for s in seg)
            nb = be.new(f"nb{p}_{seg[0]}", int(breaks_of(st.busy[p] & day_mask, prob) == 0))
            clause(nb, *day_lits)
            for z in day_lits:
                clause(neg(nb), neg(z))
            # span: two busy slots n_p or more apart mean a break
            for i in range(L):
                if bs[i] is False:
                    continue
                for j in range(i + n_p, L):
                    if bs[j] is not False:
                        clause(neg(nb), neg(bs[i]), neg(bs[j]))
            if one_day:
                used = [cur(p, s) for s in seg]
                first = used.index(1) if 1 in used else L
                _interval(be, clause, neg, nb, bs, n_p, first, f"{p}_{seg[0]}")
        objective += p_lits
        constant += p_const
        per_person[p] = (p_lits, p_const)

    if implied and not prob.any_online:  # online meetings seat nobody: the cut would not hold
        for s in range(S):
            col = [b[s] for b in busy_of.values() if not _certain(b[s])]
            fixed_n = sum(1 for b in busy_of.values() if b[s] is True)
            # group members are certain but sit at a group's table, not a pair's
            be.at_most(col, 2 * prob.tables[s] - fixed_n + prob.group_people[s])
    fair_encoded = fairness is None or not per_person
    # participants with locked meetings only are outside the model, yet count for fairness
    outside = [] if fairness is None or counted is not None else _locked_only(prob, people)
    if fairness is not None and per_person and (surely_zero or 0 in outside):
        fair_encoded = True
        for lits, c in per_person.values():
            if c > fairness:
                return None
            be.at_most(lits, fairness - c)
        if any(c > fairness for c in outside):
            return None
    before = None
    fair = False
    if complete:
        pb = [breaks_of(st.busy[p], prob) for p in people]
        before = sum(pb)
        fair = fairness is None or not pb or max(pb) - min(pb) <= fairness
    return Block(x, objective, constant, per_person, n_of, fair_encoded, complete, before, fair)


def _locked_only(prob, people: list[int]) -> list[int]:
    """Breaks of the participants who only have locked meetings (fixed whatever the model
    decides), for the fairness bound."""
    inside = set(people)
    return [
        breaks_of(prob.locked_busy[q], prob)
        for q in range(prob.n_people)
        if q not in inside and prob.locked_busy[q]
    ]


def _precedences(st: State, x: dict, meetings: list[int], clause, neg) -> None:
    """e earlier than k (``prob.earlier``): not x[k, s] and x[e, t] for any t >= s. A partner
    outside ``meetings`` is fixed where ``st`` has it (or absent: no constraint). Cost
    O(precedences x slots^2) clauses."""
    prob = st.prob
    S = prob.n_slots
    inside = set(meetings)

    def lits(k: int) -> list[tuple[int, object]]:
        if k in inside:
            return [(s, x[k, s]) for s in range(S) if (k, s) in x]
        return [(st.slot_of[k], True)] if st.slot_of[k] >= 0 else []

    for k in meetings:
        for e in prob.earlier[k]:
            late, early = lits(k), lits(e)
            for s, xk in late:
                for t, xe in early:
                    if t >= s:
                        clause(neg(xk), neg(xe))
        for lt in prob.later[k]:
            if lt in inside:
                continue  # stated from lt's side
            late, early = lits(lt), lits(k)
            for s, xk in late:
                for t, xe in early:
                    if t >= s:
                        clause(neg(xk), neg(xe))


def _interval(be: Backend, clause, neg, nb, bs: list, n: int, first: int, tag: str) -> None:
    """Under ``nb``, the busy slots ``bs`` of a day are ``n`` consecutive ones: order
    encoding F[i] <-> "first busy slot <= i", busy[i] <-> F[i] ∧ ¬F[i - n]. ``first`` is the
    first busy slot in the agenda (len(bs) if none), for the hints."""
    L = len(bs)
    F = [be.new(f"F{tag}_{i}", int(first <= i)) for i in range(L)]
    for i in range(L - 1):
        clause(neg(F[i]), F[i + 1])
    clause(neg(nb), F[max(0, L - n)])
    for i in range(L):
        b = bs[i]
        back = F[i - n] if i >= n else False
        clause(neg(nb), neg(b), F[i])
        clause(neg(nb), neg(b), neg(back))
        clause(neg(nb), neg(F[i]), b, back)
