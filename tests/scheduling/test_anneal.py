"""The annealing stage on its own (``breaks.anneal``, compiled moves in ``anneal_kernel``):
it removes breaks a single relocation cannot, never breaks a hard constraint, never moves a
locked meeting, and is reproducible for a seed and an iteration cap."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.scheduling import (
    ACCEPTED,
    Candidate,
    Instance,
    LockedMeeting,
    Options,
    Participant,
    Slot,
)
from matchmaker.scheduling.breaks import anneal, participant_breaks
from matchmaker.scheduling.core import build
from matchmaker.scheduling.place import State, place_selection


def day_slots(days, per_day, tables):
    return tuple(
        Slot(f"d{d}s{i}", f"2026-03-{10 + d}", f"{9 + i:02d}:00", f"{9 + i:02d}:25", tables)
        for d in range(days)
        for i in range(per_day)
    )


def kempe_instance(locked=False):
    """A meets B in slot 0 and C in slot 2: one break. B is not free in slot 1, so only
    swapping A-C (slot 2) with C-D (slot 1) closes it; D can only meet in slots 1 and 2."""
    slots = day_slots(1, 3, 2)
    ids = [s.id for s in slots]
    people = (
        Participant("A"),
        Participant("B", frozenset({ids[0], ids[2]})),
        Participant("C"),
        Participant("D", frozenset(ids[1:])),
    )
    cands = [Candidate("A", "B", ACCEPTED, 1.0), Candidate("A", "C", ACCEPTED, 1.0)]
    lock = ()
    if locked:
        lock = (LockedMeeting("C", "D", ids[1], None),)
    else:
        cands.append(Candidate("C", "D", ACCEPTED, 1.0))
    inst = Instance(slots, people, tuple(cands), lock, Options(fixed_meetings=True))
    prob = build(inst)
    state = State(prob)
    where = {("A", "B"): 0, ("A", "C"): 2, ("C", "D"): 1}
    for k in prob.free:
        c = prob.cands[k]
        state.place(k, where[c.a, c.b])
    return prob, state


def agenda(state):
    prob = state.prob
    return {(prob.cands[k].a, prob.cands[k].b): s for k, s in enumerate(state.slot_of)}


def test_a_break_only_a_chain_swap_removes_is_removed():
    prob, state = kempe_instance()
    assert sum(participant_breaks(state)) == 1
    anneal(state, 5.0, seed=0, max_iterations=20_000)
    assert sum(participant_breaks(state)) == 0
    assert agenda(state) == {("A", "B"): 0, ("A", "C"): 1, ("C", "D"): 2}


def test_a_locked_meeting_is_never_moved_even_to_remove_a_break():
    prob, state = kempe_instance(locked=True)
    before = agenda(state)
    anneal(state, 5.0, seed=0, max_iterations=20_000)
    assert agenda(state) == before
    assert sum(participant_breaks(state)) == 1  # the only way out moves the locked meeting
    assert state.occ[prob.person_index["C"]][1] == -1  # still held by the lock


@st.composite
def fixed_instances(draw):
    days = draw(st.integers(1, 3))
    per_day = draw(st.integers(3, 30))  # up to 90 slots: wider than a machine word
    tables = draw(st.integers(1, 4))
    slots = day_slots(days, per_day, tables)
    ids = [s.id for s in slots]
    n = draw(st.integers(2, 9))
    people = tuple(
        Participant(f"p{i}", draw(st.none() | st.frozensets(st.sampled_from(ids), min_size=1)))
        for i in range(n)
    )
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda t: t[0] < t[1]),
            unique=True,
            max_size=20,
        )
    )
    cands = tuple(Candidate(f"p{a}", f"p{b}", ACCEPTED, 1.0) for a, b in pairs)
    fairness = draw(st.none() | st.integers(0, 2))
    return Instance(slots, people, cands, (), Options(fixed_meetings=True, break_fairness=fairness))


def feasible(state):
    """Every hard constraint, recomputed from ``slot_of`` alone."""
    prob = state.prob
    seen, load = set(), {}
    for k, s in enumerate(state.slot_of):
        if s < 0:
            continue
        assert (prob.usable[k] >> s) & 1, f"candidate {k} in a slot it may not use"
        for p in (prob.ca[k], prob.cb[k]):
            assert (p, s) not in seen, f"participant {p} twice in slot {s}"
            seen.add((p, s))
        load[s] = load.get(s, 0) + 1
    assert all(load[s] <= prob.tables[s] for s in load)
    assert seen == {(p, s) for p, row in enumerate(state.occ) for s in row}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fixed_instances(), st.integers(0, 3))
def test_annealing_keeps_every_hard_constraint_and_the_same_meetings(inst, seed):
    prob = build(inst)
    state = place_selection(prob, list(prob.free))
    placed = {k for k, s in enumerate(state.slot_of) if s >= 0}
    anneal(state, 5.0, seed, inst.options.break_fairness, max_iterations=5_000)
    feasible(state)
    assert {k for k, s in enumerate(state.slot_of) if s >= 0} == placed
    assert state.busy == [sum(1 << s for s in row) for row in state.occ]


def test_same_seed_and_iteration_cap_give_the_same_agenda():
    from matchmaker.scheduling.synthetic import b2b_fixed

    inst = b2b_fixed(30, 80, 10, 10, seed=3)
    runs = []
    for _ in range(2):
        prob = build(inst)
        state = place_selection(prob, list(prob.free))
        start = sum(participant_breaks(state))
        anneal(state, 60.0, seed=7, fairness=2, max_iterations=200_000)
        runs.append(list(state.slot_of))
    assert runs[0] == runs[1]
    assert sum(participant_breaks(state)) < start


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 3),
    st.integers(2, 12),
    st.data(),
)
def test_compiled_break_count_agrees_with_the_definition(days, per_day, data):
    """The kernel's count of one participant's breaks, with two slots exchanged or not, is
    ``core.breaks_of`` of the same slots."""
    import numpy as np

    from matchmaker.scheduling import anneal_kernel as kern
    from matchmaker.scheduling.core import breaks_of

    inst = Instance(day_slots(days, per_day, 1), (Participant("p0"),), (), (), Options())
    prob = build(inst)
    S = prob.n_slots
    busy = data.draw(st.lists(st.booleans(), min_size=S, max_size=S))
    s, t = data.draw(st.tuples(st.integers(-1, S - 1), st.integers(0, S - 1)))
    occ = np.array([[0 if b else kern.FREE for b in busy]], np.int64)
    follows = np.array([(prob.not_day_start >> u) & 1 for u in range(S)], np.bool_)
    swapped = list(busy)
    if s >= 0:
        swapped[s], swapped[t] = busy[t], busy[s]
    mask = sum(1 << u for u, b in enumerate(swapped) if b)
    assert kern.breaks_row(occ, 0, follows, s, t) == breaks_of(mask, prob)
