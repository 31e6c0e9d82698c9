"""How participants take part in online and hybrid events (issue 24), and who may meet whom
because of it.

The rule itself is `matching.attendance_rules` (an online participant never meets one who is
in the hall and cannot join online meetings) and `matching.meets_online` (a meeting with an
online participant is an online meeting, with no table); this module only reads it from the
database. Matching (MatchRules.attendance), the optimiser's candidates, meeting requests,
manual meetings and walk-ins ask it here (the last three through `groups.why_not`, which asks
`why_not` below first).
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from matchmaker import matching
from matchmaker.extensions import db
from matchmaker.models import Participant


def attendance_rules(event, participants=None):
    """The event's attendance rule as GroupRules (empty unless the event is hybrid): its
    online participants and those in the hall only, of `participants` (or of every
    registration). One query when `participants` is None."""
    if event.format != "hybrid":
        return matching.GroupRules()
    if participants is not None:
        rows = [(p.id, p.attendance, p.joins_online) for p in participants]
    else:
        rows = db.session.execute(
            sa.select(Participant.id, Participant.attendance, Participant.joins_online).where(
                Participant.event_id == event.id
            )
        ).all()
    return matching.attendance_rules(
        online=[pid for pid, mode, _joins in rows if mode == "online"],
        hall_only=[pid for pid, mode, joins in rows if mode != "online" and not joins],
    )


def may_meet(first, second):
    """Whether the way the two take part lets them meet."""
    return attendance_rules(first.event, [first, second]).may_meet(first.id, second.id)


def meets_online(first, second):
    """Whether a meeting of the two is held online (no table)."""
    return matching.meets_online(first.online, second.online)


def why_not(first, second, neutral=False):
    """The sentence telling `first` why it may not meet `second` because of how they take
    part (None when it may); `neutral`: told to a third person (an organizer, a helper)."""
    if may_meet(first, second):
        return None
    online, hall = (first, second) if first.online else (second, first)
    if neutral:
        return _(
            "%(online)s takes part online and %(hall)s only in the hall: they cannot meet.",
            online=online.organisation.name,
            hall=hall.organisation.name,
        )
    if first.online:
        return _(
            "%(name)s meets only in the hall, and you take part online.",
            name=second.organisation.name,
        )
    return _(
        "%(name)s takes part online, and you said you meet only in the hall. Change it in "
        "your registration if you can join online meetings from the venue.",
        name=second.organisation.name,
    )


def drop_excluded_matches(event):
    """Delete the stored matches of pairs that can no longer meet because of how they take
    part (the caller commits). Returns how many went."""
    from matchmaker.services.groups import drop_matches_apart

    return drop_matches_apart(event, attendance_rules(event))
