"""Past co-participation between organisations: who worked with whom before, as a graph.

The published work on EU consortia finds that who worked with whom before predicts partners far
better than text alone. An event may carry that history (`rank_matches(..., co_participation=)`,
the interchange's top-level `co_participation` list): pairs of organisations and how many past
projects (or events' consortia) they shared. Organisations outside the event count too: two
participants who each worked with the same third organisation share a past partner.

For a pair of participants (a, b) the relevance model reads two numbers from the graph:

- together: past projects the two organisations shared;
- shared partners (Adamic-Adar): the sum over their common past partners z of 1 / log(deg z),
  deg z being z's number of distinct past partners, so a common partner of few counts more
  than a hub everybody worked with.

Both are sparse participant x participant matrices, built a block of rows at a time
(`CoParticipationGraph.block`), so an event with history also never holds an N x N matrix.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class CoParticipation:
    """Two organisations (ids as in `Participant.organisation_id`) that took part in
    `projects` (>= 1) past projects together."""

    organisations: tuple[int | str, int | str]
    projects: int = 1

    def __post_init__(self):
        if len(self.organisations) != 2:
            raise ValueError("a co-participation names two organisations")
        first, second = self.organisations
        if type(first) is type(second) and first == second:
            raise ValueError(f"organisation {first!r} cannot have worked with itself")
        if isinstance(self.projects, bool) or not isinstance(self.projects, int):
            raise ValueError("projects must be an integer")
        if self.projects < 1:
            raise ValueError("projects must be >= 1")


def _key(organisation):
    # 1 and "1" are two organisations, as everywhere in the engine.
    return (type(organisation).__name__, organisation)


class CoParticipationGraph:
    """The co-participation graph seen from an event's participants."""

    def __init__(self, participants, co_participation):
        code = {}
        for participant in participants:
            code.setdefault(_key(participant.organisation_id), len(code))
        first, second, projects = [], [], []
        for item in co_participation:
            a, b = item.organisations
            first.append(code.setdefault(_key(a), len(code)))
            second.append(code.setdefault(_key(b), len(code)))
            projects.append(item.projects)
        n_organisations = len(code)
        counts = sp.coo_matrix(
            (projects + projects, (first + second, second + first)),
            shape=(n_organisations, n_organisations),
            dtype=np.float64,
        ).tocsr()
        counts.sum_duplicates()
        linked = counts.copy()
        linked.data[:] = 1
        degree = np.diff(linked.indptr)
        # A common partner z has at least two partners, so log(deg z) > 0.
        weight = 1 / np.log(np.maximum(degree, 2))
        owner = np.fromiter(
            (code[_key(p.organisation_id)] for p in participants), np.int64, len(participants)
        )
        membership = sp.csr_matrix(
            (np.ones(len(owner)), (np.arange(len(owner)), owner)),
            shape=(len(owner), n_organisations),
        )
        self.n = len(participants)
        self.empty = counts.nnz == 0
        # participants x organisations: past projects with each organisation, and the
        # Adamic-Adar weight of each past partner.
        self._together = (membership @ counts).tocsr()
        self._partners = (membership @ linked).tocsr()
        self._weighted = (self._partners @ sp.diags(weight)).tocsr()
        self._owner_t = membership.T.tocsr()
        self._partners_t = self._partners.T.tocsr()

    def block(self, start, stop):
        """(together, shared partners) of rows start..stop against every participant, as
        sparse (stop - start) x n matrices."""
        together = (self._together[start:stop] @ self._owner_t).tocsr()
        shared = (self._weighted[start:stop] @ self._partners_t).tocsr()
        return together, shared
