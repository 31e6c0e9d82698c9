"""Participant groups: an economic mission's delegation and hosts (or buyers and sellers), the
pairs of groups whose members never meet, and who belongs where.

The rule itself ("may these two participants meet") is `matching.GroupRules`; this module only
reads it from the database (`group_rules`, `may_meet`) and keeps it: matching, meeting requests
and the optimiser's candidates all ask it through here.
"""

import sqlalchemy as sa

from matchmaker import matching
from matchmaker.extensions import db
from matchmaker.models import Match, Organisation, Participant, ParticipantGroup, group_exclusions
from matchmaker.services import attendance
from matchmaker.services.errors import Conflict, DomainError, NotAllowed

NAME_LENGTH = 80  # participant_groups.name
# A page of checkboxes stays readable up to this many groups (each pair is one box).
MAX_GROUPS = 8
# The economic mission preset: a delegation visits hosts; neither side meets itself.
MISSION_PRESET = (
    ("Delegation", "The visiting companies"),
    ("Hosts", "The companies the delegation visits"),
)


def _check_organizer(event, by):
    if not event.is_organized_by(by):
        raise NotAllowed("Only the event's organizers can change its groups.")


def excluded_pairs(event):
    """The event's excluded pairs of group ids, each as (lower id, higher id)."""
    rows = db.session.execute(
        sa.select(group_exclusions.c.group_a_id, group_exclusions.c.group_b_id).where(
            group_exclusions.c.event_id == event.id
        )
    ).all()
    return {(a, b) for a, b in rows}


def group_rules(event, participants=None):
    """The event's GroupRules: every participant's group (or only those of `participants`)
    and the excluded pairs. Two queries (one when no pair is excluded)."""
    excluded = excluded_pairs(event)
    if not excluded:
        return matching.GroupRules()
    if participants is not None:
        membership = {p.id: p.group_id for p in participants if p.group_id is not None}
    else:
        membership = dict(
            db.session.execute(
                sa.select(Participant.id, Participant.group_id).where(
                    Participant.event_id == event.id, Participant.group_id.is_not(None)
                )
            ).all()
        )
    return matching.GroupRules(membership=membership, excluded=frozenset(excluded))


def may_meet(first, second):
    """Whether the groups of two participants of one event let them meet."""
    return group_rules(first.event, [first, second]).may_meet(first.id, second.id)


def why_not(first, second, neutral=False):
    """The sentence telling `first` why it may not meet `second` (None when it may);
    `neutral`: told to a third person (an organizer, a helper at the desk). Asks first how
    the two take part (attendance.why_not: online and hall-only participants never meet),
    so requests, manual meetings and walk-ins ask both rules through this one door."""
    apart = attendance.why_not(first, second, neutral)
    if apart:
        return apart
    if may_meet(first, second):
        return None
    mine, theirs = first.group, second.group
    one, other = first.organisation.name, second.organisation.name
    if neutral and mine.id == theirs.id:
        return (
            f"{one} and {other} are both in the group “{mine.name}”, whose members do not "
            "meet each other at this event."
        )
    if neutral:
        return (
            f"{one} is in the group “{mine.name}” and {other} in “{theirs.name}”: at this "
            "event, these groups do not meet."
        )
    if mine.id == theirs.id:
        return (
            f"{second.organisation.name} is in the group “{mine.name}” like you: at this "
            "event, members of one group do not meet each other."
        )
    return (
        f"{second.organisation.name} is in the group “{theirs.name}”: at this event, the "
        f"group “{mine.name}” does not meet it."
    )


def groups_of(event):
    """The event's groups in the order made, each with its number of registrations:
    [(group, count)]. Two queries."""
    counts = dict(
        db.session.execute(
            sa.select(Participant.group_id, sa.func.count())
            .where(Participant.event_id == event.id, Participant.group_id.is_not(None))
            .group_by(Participant.group_id)
        ).all()
    )
    groups = db.session.scalars(
        sa.select(ParticipantGroup)
        .where(ParticipantGroup.event_id == event.id)
        .order_by(ParticipantGroup.id)
    ).all()
    return [(group, counts.get(group.id, 0)) for group in groups]


def _checked_name(event, name, group=None):
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Give the group a name.")
    if len(name) > NAME_LENGTH:
        raise DomainError(f"A group's name has at most {NAME_LENGTH} characters.")
    for other in event.groups:
        if other is not group and other.name.casefold() == name.casefold():
            raise Conflict(f"There is already a group called “{other.name}”.")
    return name


def create_group(event, name, by, description=""):
    """Add a group to the event and commit. Raises NotAllowed, DomainError for an empty,
    too long or duplicate name (Conflict) or one group too many."""
    _check_organizer(event, by)
    if len(event.groups) >= MAX_GROUPS:
        raise DomainError(f"An event has at most {MAX_GROUPS} groups.")
    group = ParticipantGroup(event=event, name=_checked_name(event, name), description=description)
    db.session.add(group)
    db.session.commit()
    return group


def rename_group(group, name, by):
    """Give the group a new name and commit."""
    _check_organizer(group.event, by)
    group.name = _checked_name(group.event, name, group)
    db.session.commit()


def delete_group(group, by):
    """Delete the group and commit: its participants become ungrouped and the rules naming it
    go (the database would do both; saying it here does not depend on the engine's foreign
    keys). Returns the number of participants who were in it."""
    event = group.event
    _check_organizer(event, by)
    members = db.session.execute(
        sa.update(Participant).where(Participant.group_id == group.id).values(group_id=None)
    ).rowcount
    pairs = group_exclusions.c
    db.session.execute(
        sa.delete(group_exclusions).where(
            sa.or_(pairs.group_a_id == group.id, pairs.group_b_id == group.id)
        )
    )
    event.groups.remove(group)
    db.session.delete(group)
    db.session.commit()
    return members


def set_exclusions(event, pairs, by):
    """Replace the event's excluded pairs by `pairs` (pairs of group ids of this event, in
    any order; (g, g): members of g never meet each other), drop the stored matches that
    are now excluded, and commit. Raises DomainError for a group of another event."""
    _check_organizer(event, by)
    ids = {g.id for g in event.groups}
    wanted = {(min(a, b), max(a, b)) for a, b in pairs}
    if any(a not in ids or b not in ids for a, b in wanted):
        raise DomainError("A rule names a group this event does not have; reload the page.")
    _replace_exclusions(event, wanted)
    drop_excluded_matches(event)
    db.session.commit()


def _replace_exclusions(event, wanted):
    db.session.execute(sa.delete(group_exclusions).where(group_exclusions.c.event_id == event.id))
    if wanted:
        db.session.execute(
            group_exclusions.insert(),
            [{"event_id": event.id, "group_a_id": a, "group_b_id": b} for a, b in sorted(wanted)],
        )


def apply_mission_preset(event, by):
    """The economic mission's groups: "Delegation" and "Hosts" (kept if they exist), each
    side never meeting itself; other groups and rules stay. Commits; returns the two groups."""
    _check_organizer(event, by)
    by_name = {g.name.casefold(): g for g in event.groups}
    made = []
    for name, description in MISSION_PRESET:
        group = by_name.get(name.casefold())
        if group is None:
            if len(event.groups) >= MAX_GROUPS:
                raise DomainError(f"An event has at most {MAX_GROUPS} groups.")
            group = ParticipantGroup(event=event, name=name, description=description)
            db.session.add(group)
        made.append(group)
    db.session.flush()
    wanted = excluded_pairs(event) | {(g.id, g.id) for g in made}
    _replace_exclusions(event, wanted)
    drop_excluded_matches(event)
    db.session.commit()
    return made


def has_mission_preset(event):
    """Whether the event has the mission's groups, each kept from meeting itself."""
    by_name = {g.name.casefold(): g.id for g in event.groups}
    ids = [by_name.get(name.casefold()) for name, _ in MISSION_PRESET]
    return None not in ids and {(i, i) for i in ids} <= excluded_pairs(event)


def _group_of_event(event, group):
    if group is not None and group.event_id != event.id:
        raise DomainError("This group belongs to another event.")


def assign(participant, group, by):
    """Put the participant in `group` (None: no group), drop its stored matches that are
    now excluded, and commit."""
    event = participant.event
    _check_organizer(event, by)
    _group_of_event(event, group)
    participant.group = group
    participant.group_id = group.id if group is not None else None
    db.session.flush()
    drop_excluded_matches(event)
    db.session.commit()


def assign_country(event, country, group, by):
    """Put every registration of the event whose organisation is from `country` (ISO code)
    in `group` (None: no group), drop the matches now excluded, and commit. Returns how many
    registrations moved."""
    _check_organizer(event, by)
    _group_of_event(event, group)
    from_country = sa.select(Organisation.id).where(Organisation.country == country)
    moved = db.session.execute(
        sa.update(Participant)
        .where(
            Participant.event_id == event.id,
            Participant.organisation_id.in_(from_country),
        )
        .values(group_id=group.id if group is not None else None)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    drop_excluded_matches(event)
    db.session.commit()
    return moved


def drop_excluded_matches(event):
    """Delete the stored matches of pairs the groups now keep apart (the caller commits): a
    participant never sees as a match someone it may not meet. Pairs the change allows are
    found at the next matching run. One query to read, one to delete."""
    return drop_matches_apart(event, group_rules(event))


def drop_matches_apart(event, rules):
    """Delete the event's stored matches of pairs `rules` (a GroupRules, or None) keep apart;
    the caller commits. Returns how many went. Used for groups and for attendance."""
    if not rules:
        return 0
    doomed = [
        match_id
        for match_id, a, b in db.session.execute(
            sa.select(Match.id, Match.participant_a_id, Match.participant_b_id).where(
                Match.event_id == event.id
            )
        ).all()
        if not rules.may_meet(a, b)
    ]
    for start in range(0, len(doomed), 1000):  # within every database's limit of parameters
        db.session.execute(sa.delete(Match).where(Match.id.in_(doomed[start : start + 1000])))
    return len(doomed)


def countries_of(event):
    """The countries of the event's registrations with how many each: [(ISO code, count)],
    most first. One query."""
    rows = db.session.execute(
        sa.select(Organisation.country, sa.func.count())
        .join(Participant, Participant.organisation_id == Organisation.id)
        .where(Participant.event_id == event.id, Organisation.country != "")
        .group_by(Organisation.country)
    ).all()
    return sorted(rows, key=lambda row: (-row[1], row[0]))
