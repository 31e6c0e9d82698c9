"""The bottom-up break questions ("is there an agenda with at most k breaks?") as plain SAT,
answered by CaDiCaL (through PySAT).

The clauses are the block model of ``block.encode`` written out as CNF (cardinality networks
from PySAT for its sums). Where fairness is not stated as per-person caps
(``fair_encoded`` False, nobody surely without a break), the questions are a relaxation: a
refutation still holds, and an agenda found is only used when it happens to be fair. The
total of the break starts goes through an incremental totalizer, so "at most k" is one
assumption and every question reuses what the solver learnt on the earlier ones.

Why SAT here: on the dense generated instances (docs/scheduling.md) CaDiCaL refutes "at most
2 breaks" in 1.5-30 s where CP-SAT's SAT search needed 40-80 s or did not finish in 300 s.

Time: CaDiCaL has no wall-clock limit, so a question runs in chunks of conflicts and stops
between chunks once its time is up (a chunk is sized to about a quarter of a second).
"""

from __future__ import annotations

import time

from matchmaker.scheduling import block
from matchmaker.scheduling.place import State

#: The CaDiCaL build of PySAT used for the questions.
SOLVER_NAME = "cadical195"
#: Conflicts in the first chunk of a question; later chunks are sized from its speed.
FIRST_CHUNK = 2_000
#: Wall-clock length aimed at for one chunk (seconds).
CHUNK_SECONDS = 0.25


class _CnfBackend:
    """``block.Backend`` writing CNF: cardinality networks from PySAT for the sums. An
    infeasible constraint adds the empty clause and sets ``failed``."""

    def __init__(self):
        from pysat.card import CardEnc, EncType
        from pysat.formula import IDPool

        self._card, self._enc = CardEnc, EncType
        self.pool = IDPool()
        self.clauses: list[list[int]] = []
        self.failed = False

    def new(self, name: str, value: int) -> int:
        return self.pool.id()

    def neg(self, lit: int) -> int:
        return -lit

    def clause(self, lits: list[int]) -> None:
        if not lits:
            self.failed = True
        self.clauses.append(list(lits))

    def at_most(self, lits: list[int], k: int) -> None:
        if len(lits) <= k:
            return
        if k < 0:
            self.clause([])
        elif k == 0:
            self.clauses += [[-v] for v in lits]
        else:
            if k > 1:
                enc = self._enc.kmtotalizer
            else:
                enc = self._enc.pairwise if len(lits) <= 6 else self._enc.seqcounter
            self.clauses += self._card.atmost(lits, k, vpool=self.pool, encoding=enc).clauses

    def exactly(self, lits: list[int], k: int) -> None:
        if k == len(lits):
            self.clauses += [[v] for v in lits]
        elif k == 0:
            self.clauses += [[-v] for v in lits]
        elif k == 1:
            self.clause(lits)
            self.at_most(lits, 1)
        else:
            enc = self._enc.kmtotalizer
            self.clauses += self._card.equals(lits, k, vpool=self.pool, encoding=enc).clauses

    def sum_of(self, lits: list[int], name: str, value: int) -> int:
        self.at_most(lits, 1)
        b = self.pool.id()
        self.clauses.append([-b, *lits])
        self.clauses += [[-v, b] for v in lits]
        return b


class BreakSat:
    """The CNF of the meetings of ``st`` (or ``meetings``, which may include unplaced ones)
    and a CaDiCaL instance loaded with it; ``at_most(k, seconds)`` asks the questions.
    ``ok`` is False when the model is trivially infeasible (see ``block.encode``).
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
        from pysat.card import ITotalizer
        from pysat.solvers import Solver

        be = _CnfBackend()
        blk = block.encode(st, be, fairness, meetings, implied)
        self.ok = blk is not None and not be.failed
        if not self.ok:
            return
        self.x: dict[tuple[int, int], int] = blk.x
        self.fair_encoded = blk.fair_encoded
        self.constant = blk.constant
        top = len(blk.objective)
        ub = top if bound is None else max(0, min(top, bound))
        self.tot = ITotalizer(lits=blk.objective, ubound=ub + 1, top_id=be.pool.top)
        self.solver = Solver(name=SOLVER_NAME, bootstrap_with=be.clauses + self.tot.cnf.clauses)
        self._chunk = FIRST_CHUNK
        self.model: set[int] | None = None
        if blk.complete:
            self.solver.set_phases(
                [v if st.slot_of[k] == s else -v for (k, s), v in self.x.items()]
            )

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

    @property
    def any_breaks(self) -> int:
        """A ``k`` for ``at_most`` that bounds nothing: "is there any agenda?"."""
        return self.constant + len(self.tot.rhs)

    def slots(self) -> dict[int, int]:
        """The slot of every meeting in the last agenda found."""
        assert self.model is not None
        return {k: s for (k, s), v in self.x.items() if v in self.model}

    def close(self) -> None:
        if getattr(self, "solver", None) is not None:
            self.solver.delete()
            self.solver = None
