"""Memory across events: pairs of organisations that met at an earlier event of the network,
and what the event's organizers want done with them (docs/matching.md, "History").

Pairs are named by organisation, not by participant: a participant is one registration to
one event, while the same organisation comes back event after event.

- "leave": nothing changes; the explanation still says they met.
- "lower": their score is multiplied by MET_BEFORE_FACTOR after the relevance model and the
  cross-border preference, so new partners come first unless the known one fits much better.
- "follow_up": ranking is left as it is; the app proposes a follow-up meeting where the
  outcome is one of FOLLOW_UP_OUTCOMES (services/history.py, services/schedules.py).
"""

from dataclasses import dataclass

MET_BEFORE_POLICIES = ("leave", "lower", "follow_up")
# "lower": a pair that met before keeps half its score. A known partner then stays in the list
# (the explanation says why it moved down) but a new one of at least half its relevance comes
# first: the point of a brokerage day is to meet people one does not know yet.
MET_BEFORE_FACTOR = 0.5
# Outcomes of a meeting, from the least to the most advanced (the app's Feedback.OUTCOMES, in
# the same order; a test checks they agree).
OUTCOME_ORDER = (
    "no_further_contact",
    "follow_up_planned",
    "offer_sent",
    "agreement_expected",
    "agreement_signed",
)
# Outcomes that call for another meeting: the talk is going on, nothing is signed yet.
FOLLOW_UP_OUTCOMES = ("follow_up_planned", "offer_sent", "agreement_expected")


@dataclass(frozen=True)
class MetBefore:
    """Organisations `a` and `b` met at the earlier event titled `event`, which ended on `date`
    (ISO "YYYY-MM-DD", "" when unknown); `outcome` is the latest outcome reported for that
    meeting (one of OUTCOME_ORDER, "" when nobody said)."""

    a: int | str
    b: int | str
    event: str
    date: str = ""
    outcome: str = ""

    def __post_init__(self):
        if self.a == self.b:
            raise ValueError(f"organisation {self.a!r} cannot have met itself")
        if self.outcome and self.outcome not in OUTCOME_ORDER:
            known = ", ".join(OUTCOME_ORDER)
            raise ValueError(f"unknown outcome {self.outcome!r} (known: {known})")

    @property
    def follow_up(self):
        """Whether the outcome calls for a follow-up meeting."""
        return self.outcome in FOLLOW_UP_OUTCOMES


def most_advanced(outcomes):
    """The most advanced of `outcomes` (keys of OUTCOME_ORDER; None and "" ignored), or ""."""
    known = [o for o in outcomes if o in OUTCOME_ORDER]
    return max(known, key=OUTCOME_ORDER.index) if known else ""


def index(history):
    """{frozenset({a, b}): MetBefore} of `history` (an iterable of MetBefore). When a pair met
    at several earlier events, the latest (by date, then by position) is kept."""
    found = {}
    for record in history:
        key = frozenset((record.a, record.b))
        earlier = found.get(key)
        if earlier is None or record.date >= earlier.date:
            found[key] = record
    return found
