"""The bottom-up break questions ("is there an agenda with at most k breaks?") as plain SAT,
answered by CaDiCaL (through PySAT).

The clauses are those of the CP-SAT block model in ``breaks_exact`` (the Boolean view of the
MaxSAT encodings of Bofill, Coll, Garcia, Giráldez-Cru, Pesant, Suy, Villaret, JAIR 2022),
written out as CNF:

- ``x[k, s]``: meeting ``k`` in slot ``s``; exactly one per meeting; per slot at most the
  tables left after locked meetings (cardinality networks);
- ``busy[p, s]`` <-> OR of p's ``x`` in ``s``, at most one of them; exactly ``n_p`` busy
  slots per participant;
- ``ended[p, s]`` (busy in ``s`` or later that day), break starts ``z`` <-> busy before,
  idle here, busy later; breaks(p) = its break starts (``core.breaks_of``);
- implied constraints under "no break that day": the span clauses and, for participants who
  meet on one day only, the order encoding of their first slot; per slot, participants busy
  <= 2 x tables;
- max - min breaks <= ``fairness`` becomes breaks(p) <= ``fairness`` for everyone when
  somebody surely has no break (one meeting), the usual case; otherwise fairness is left out
  (the questions are then a relaxation: a refutation still holds, and an agenda found is
  only used when it happens to be fair);
- the total of the break starts goes through an incremental totalizer, so "at most k" is one
  assumption and every question reuses what the solver learnt on the earlier ones.

Why SAT here: on the dense generated instances (docs/scheduling.md) CaDiCaL refutes "at most
2 breaks" in 1.5-30 s where CP-SAT's SAT search needed 40-80 s or did not finish in 300 s.

Time: CaDiCaL has no wall-clock limit, so a question runs in chunks of conflicts and stops
between chunks once its time is up (a chunk is sized to about a quarter of a second).
"""

from __future__ import annotations

import time

from matchmaker.scheduling.core import breaks_of
from matchmaker.scheduling.place import State

#: The CaDiCaL build of PySAT used for the questions.
SOLVER_NAME = "cadical195"
#: Conflicts in the first chunk of a question; later chunks are sized from its speed.
FIRST_CHUNK = 2_000
#: Wall-clock length aimed at for one chunk (seconds).
CHUNK_SECONDS = 0.25


class BreakSat:
    """The CNF of the meetings of ``st`` (or ``meetings``, which may include unplaced ones)
    and a CaDiCaL instance loaded with it; ``at_most(k, seconds)`` asks the questions.
    ``ok`` is False when the model is trivially infeasible (a meeting without a usable slot,
    a participant over its maximum, a certain break count above the fairness bound).
    Cost: O(meetings · slots + participants · slots²) clauses plus the cardinality networks
    (tables per slot and the totalizer, O(break literals · bound))."""

    def __init__(
        self,
        st: State,
        fairness: int | None = None,
        meetings: list[int] | None = None,
        implied: bool = True,
        bound: int | None = None,
    ):
        from pysat.card import CardEnc, EncType, ITotalizer
        from pysat.formula import IDPool
        from pysat.solvers import Solver

        self._card, self._enc = CardEnc, EncType
        prob = self.prob = st.prob
        S = prob.n_slots
        if meetings is None:
            meetings = [k for k, s in enumerate(st.slot_of) if s >= 0]
        self.meetings = list(meetings)
        self.pool = pool = IDPool()
        self.clauses: list[list[int]] = []
        self.ok = True
        self.fair_encoded = fairness is None
        self.x: dict[tuple[int, int], int] = {}
        true = pool.id("true")
        self.clauses.append([true])
        by_ps: dict[tuple[int, int], list[int]] = {}
        by_slot: dict[int, list[int]] = {}
        for k in self.meetings:
            vs = []
            for s in range(S):
                if (prob.usable[k] >> s) & 1:
                    v = pool.id(("x", k, s))
                    self.x[k, s] = v
                    vs.append(v)
                    by_ps.setdefault((prob.ca[k], s), []).append(v)
                    by_ps.setdefault((prob.cb[k], s), []).append(v)
                    by_slot.setdefault(s, []).append(v)
            if not vs:
                self.ok = False
                return
            self.clauses.append(vs)
            self._at_most(vs, 1)
        for s, vs in by_slot.items():
            self._at_most(vs, prob.cap_left[s])

        people = sorted({p for k in self.meetings for p in (prob.ca[k], prob.cb[k])})
        n_of = {p: prob.locked_busy[p].bit_count() for p in people}
        reach = {p: prob.locked_busy[p] for p in people}
        for k in self.meetings:
            for p in (prob.ca[k], prob.cb[k]):
                n_of[p] += 1
                reach[p] |= prob.usable[k]
        if any(n_of[p] > prob.max_meetings[p] for p in people):
            self.ok = False
            return
        days = [[s for s in range(S) if (dm >> s) & 1] for dm in prob.day_masks]
        # busy[p][s]: a literal, ``true`` (locked meeting) or None (idle for sure)
        column: dict[int, list[int]] = {s: [] for s in range(S)}
        fixed_busy = [0] * S
        self.lits_of: dict[int, list[int]] = {}
        self.constant = 0
        per_person: list[tuple[list[int], int]] = []
        surely_zero = False
        for p in people:
            busy: list[int | None] = []
            for s in range(S):
                if (prob.locked_busy[p] >> s) & 1:
                    busy.append(true)
                    fixed_busy[s] += 1
                    continue
                vs = by_ps.get((p, s), [])
                if not vs:
                    busy.append(None)
                    continue
                if len(vs) == 1:
                    b = vs[0]
                else:
                    self._at_most(vs, 1)
                    b = pool.id(("busy", p, s))
                    self.clauses.append([-b, *vs])
                    self.clauses += [[-v, b] for v in vs]
                busy.append(b)
                column[s].append(b)
            free_busy = [b for b in busy if b is not None and b != true]
            self._exactly(free_busy, n_of[p] - (prob.locked_busy[p]).bit_count())
            n_p = n_of[p]
            if n_p <= 1:
                surely_zero = True
                per_person.append(([], 0))
                continue
            one_day = sum(1 for dm in prob.day_masks if dm & reach[p]) == 1
            p_lits: list[int] = []
            p_const = 0
            for day in days:
                idx = [i for i, s in enumerate(day) if busy[s] is not None]
                if not idx:
                    continue
                seg = day[idx[0] : idx[-1] + 1]
                bs = [busy[s] for s in seg]
                L = len(bs)
                if all(b is None or b == true for b in bs):
                    p_const += breaks_of(
                        sum(1 << s for s, b in zip(seg, bs, strict=True) if b), prob
                    )
                    continue
                if L <= 2:
                    continue
                ended: list[int | None] = [None] * (L + 1)  # None: nothing later
                for i in range(L - 1, -1, -1):
                    b, nxt = bs[i], ended[i + 1]
                    if b == true or nxt == true:
                        ended[i] = true
                    elif b is None:
                        ended[i] = nxt
                    elif nxt is None:
                        ended[i] = b
                    else:
                        e = pool.id(("ended", p, seg[i]))
                        self.clauses += [[-b, e], [-nxt, e], [-e, b, nxt]]
                        ended[i] = e
                day_lits: list[int] = []
                certain_before = p_const
                for i in range(1, L - 1):
                    before, b, later = bs[i - 1], bs[i], ended[i + 1]
                    if before is None or later is None or b == true:
                        continue
                    if before == true and later == true and b is None:
                        p_const += 1  # busy before and after, idle here for sure
                        continue
                    z = pool.id(("break", p, seg[i]))
                    cond = [t for t in (before, later) if t != true]
                    self.clauses += [[-z, t] for t in cond]
                    if b is None:
                        self.clauses.append([z, *(-t for t in cond)])
                    else:
                        self.clauses.append([-z, -b])
                        self.clauses.append([z, *(-t for t in cond), b])
                    day_lits.append(z)
                p_lits += day_lits
                if not implied or not day_lits or n_p >= L or p_const > certain_before:
                    continue
                nb = pool.id(("nobreak", p, seg[0]))
                self.clauses.append([nb, *day_lits])
                self.clauses += [[-nb, -z] for z in day_lits]
                for i in range(L):
                    if bs[i] is None:
                        continue
                    for j in range(i + n_p, L):
                        if bs[j] is not None:
                            self.clauses.append([-nb, -bs[i], -bs[j]])
                if one_day:
                    self._interval(nb, bs, n_p, true)
            self.lits_of[p] = p_lits
            self.constant += p_const
            per_person.append((p_lits, p_const))
        if implied:
            for s, col in column.items():
                self._at_most(col, 2 * prob.tables[s] - fixed_busy[s])
        if fairness is not None:
            if surely_zero:
                self.fair_encoded = True
                for lits, c in per_person:
                    if c > fairness:
                        self.ok = False
                        return
                    self._at_most(lits, fairness - c)
        self.breaks = [z for lits in self.lits_of.values() for z in lits]
        if not self.ok:
            return
        top = len(self.breaks)
        ub = top if bound is None else max(0, min(top, bound))
        self.tot = ITotalizer(lits=self.breaks, ubound=ub + 1, top_id=pool.top)
        self.solver = Solver(name=SOLVER_NAME, bootstrap_with=self.clauses + self.tot.cnf.clauses)
        self._chunk = FIRST_CHUNK
        self.model: set[int] | None = None
        if all(st.slot_of[k] >= 0 for k in self.meetings):
            self.solver.set_phases(
                [v if st.slot_of[k] == s else -v for (k, s), v in self.x.items()]
            )

    def _at_most(self, lits: list[int], k: int) -> None:
        if len(lits) <= k:
            return
        if k < 0:
            self.ok = False
            self.clauses.append([])
            return
        if k == 0:
            self.clauses += [[-v] for v in lits]
            return
        if k == 1:
            enc = self._enc.pairwise if len(lits) <= 6 else self._enc.seqcounter
        else:
            enc = self._enc.kmtotalizer
        self.clauses += self._card.atmost(lits, k, vpool=self.pool, encoding=enc).clauses

    def _exactly(self, lits: list[int], k: int) -> None:
        if k > len(lits) or k < 0:
            self.ok = False  # more meetings than slots they could use
            self.clauses.append([])
            return
        if k == len(lits):
            self.clauses += [[v] for v in lits]
            return
        if k == 0:
            self.clauses += [[-v] for v in lits]
            return
        enc = self._enc.kmtotalizer
        self.clauses += self._card.equals(lits, k, vpool=self.pool, encoding=enc).clauses

    def _interval(self, nb: int, bs: list, n: int, true: int) -> None:
        """Under ``nb``, the busy slots ``bs`` of the day are ``n`` consecutive ones: order
        encoding F[i] <-> "first busy slot <= i", busy[i] <-> F[i] ∧ ¬F[i - n]."""
        L = len(bs)
        F = [self.pool.id(("first", nb, i)) for i in range(L)]
        self.clauses += [[-F[i], F[i + 1]] for i in range(L - 1)]
        self.clauses.append([-nb, F[max(0, L - n)]])
        for i in range(L):
            b = bs[i]
            back = [F[i - n]] if i >= n else []
            if b is None:
                self.clauses.append([-nb, -F[i], *back])
                continue
            if b == true:
                self.clauses.append([-nb, F[i]])
                if back:
                    self.clauses.append([-nb, -back[0]])
                continue
            self.clauses.append([-nb, -b, F[i]])
            if back:
                self.clauses.append([-nb, -b, -back[0]])
            self.clauses.append([-nb, -F[i], b, *back])

    def at_most(self, k: int, seconds: float) -> bool | None:
        """Is there an agenda with at most ``k`` breaks (and fair, when fairness is encoded)?
        True (the agenda is kept: ``slots()``), False (proved impossible), or None when not
        settled within ``seconds``."""
        k -= self.constant
        if k < 0:
            return False
        if k >= len(self.tot.rhs):
            assumptions: list[int] = []
        else:
            assumptions = [-self.tot.rhs[k]]
        stop = time.perf_counter() + seconds
        while True:
            t = time.perf_counter()
            if t >= stop:
                return None
            self.solver.conf_budget(self._chunk)
            answer = self.solver.solve_limited(assumptions=assumptions)
            took = max(1e-3, time.perf_counter() - t)
            if answer is not None:
                if answer:
                    self.model = {v for v in self.solver.get_model() if v > 0}
                return answer
            # size the next chunk to about CHUNK_SECONDS, within what is left
            rate = self._chunk / took
            want = min(CHUNK_SECONDS, max(0.02, stop - time.perf_counter()))
            self._chunk = max(200, min(1_000_000, int(rate * want)))

    def slots(self) -> dict[int, int]:
        """The slot of every meeting in the last agenda found."""
        assert self.model is not None
        return {k: s for (k, s), v in self.x.items() if v in self.model}

    def close(self) -> None:
        if getattr(self, "solver", None) is not None:
            self.solver.delete()
            self.solver = None
