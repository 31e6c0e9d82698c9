"""Matchmaking: rank an event's approved participants with the pure engine and store the
matches; interests ("interested" / "not interested") and the suggestions page's data."""

from dataclasses import asdict

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from matchmaker import matching
from matchmaker.extensions import db
from matchmaker.matching import live
from matchmaker.matching.explain import flip
from matchmaker.models import (
    INTEREST_VALUES,
    Interest,
    Match,
    MatchModel,
    MeetingRequest,
    Participant,
)
from matchmaker.models.base import utcnow
from matchmaker.models.networks import MET_BEFORE_POLICIES
from matchmaker.services import attendance, groups, history
from matchmaker.services.errors import DomainError, NotAllowed
from matchmaker.services.locks import lock_key

DEFAULT_TOP_K = 20
# Bands a person reads instead of a score. A score is the relevance model's probability that
# the pair are real partners (docs/matching.md, step 5). The thresholds keep the shares of the
# demo's pairs the bands had before that model (Strong: 3 %, about a participant's best one or
# two; Good: the next 14 %; Possible: the rest) and, measured on CORDIS pools of 100 and 300
# (`python -m benchmarks.match_quality --bands`), 38-43 % of the true partners fall in Strong,
# 26-28 % in Good.
BANDS = ((0.25, "strong", "Strong"), (0.12, "good", "Good"), (0.0, "possible", "Possible"))
# The suggestions list stops here ("Show more" shows the rest). Our own constant, not
# Event.suggestion_floor: that one bars the optimiser's suggested meetings (0.25 by default, a
# participant's best match or two), while a list to browse may go further. A score is relative
# to the event's typical scored pair, which scores about 0.05 whatever the event's size
# (docs/matching.md, step 5): under 0.04 a pair has less in common than that.
LIST_FLOOR = 0.04


def band(score):
    """(key, label) of the band of a score in [0, 1]: strong, good or possible."""
    for floor, key, label in BANDS:
        if score >= floor:
            return key, label
    return BANDS[-1][1:]


def _plain(participant):
    """A registration as the engine's plain data."""
    organisation = participant.organisation

    def opportunity(o):
        keywords = tuple(k.strip() for k in (o.keywords or "").split(",") if k.strip())
        return matching.Opportunity(
            id=o.id,
            kind=o.kind,
            title=o.title,
            description=o.description or "",
            category=o.category,
            keywords=keywords,
        )

    # One order whatever loaded them: a live refresh then sums a participant's opportunities
    # in the order of the full run, to the last bit.
    opportunities = sorted(participant.opportunities, key=lambda o: o.id or 0)
    return matching.Participant(
        id=participant.id,
        organisation_id=participant.organisation_id,
        profile=" ".join(filter(None, (organisation.description, participant.looking_for))),
        offers=tuple(opportunity(o) for o in opportunities if o.kind == "offer"),
        requests=tuple(opportunity(o) for o in opportunities if o.kind == "request"),
        country=organisation.country,
        type=organisation.type,
        sectors=tuple(organisation.sectors or ()),
    )


def rules_for(event):
    """The engine's rules from the event's options, its groups (who may meet whom), the
    participants' refusals and the pairs of organisations that met at an earlier event of the
    network (history.met_before) with the event's met-before policy."""
    refusals = db.session.execute(
        sa.select(Interest.participant_id, Interest.target_id).where(
            Interest.event_id == event.id, Interest.value == "not_interested"
        )
    ).all()
    return matching.MatchRules(
        not_interested=frozenset((a, b) for a, b in refusals),
        excluded_type_pairs=frozenset(tuple(pair) for pair in event.excluded_type_pairs or ()),
        cross_border_bonus=event.cross_border_bonus or 0.0,
        groups=groups.group_rules(event),
        attendance=attendance.attendance_rules(event),
        history=history.met_before(event),
        met_before_policy=event.met_before_policy or "leave",
    )


def _explanation_dict(explanation):
    return asdict(explanation)


def compute_matches(event, by=None, top_k=DEFAULT_TOP_K, progress=None):
    """Rank the event's approved participants, replace the stored matches, set the time of the
    run and commit. Each unordered pair is stored once, its explanation seen from the
    participant with the lower id. Returns the number of pairs stored.

    Cost: one engine run (seconds for thousands of participants); explanations are computed in
    batches (about 0.07 ms per pair, 3 s for 2,000 participants with 20 matches each).
    """
    if by is not None and not event.is_organized_by(by):
        raise NotAllowed("Only the event's organizers can run matching.")
    participants = db.session.scalars(
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.status == "approved")
        .options(joinedload(Participant.organisation), selectinload(Participant.opportunities))
    ).all()
    ranked = matching.rank_matches(
        [_plain(p) for p in participants], rules_for(event), top_k=top_k, progress=progress
    )
    pairs = {}
    for participant_id, matches in ranked.items():
        for match in matches:
            a, b = sorted((participant_id, match.partner_id))
            if (a, b) in pairs:
                continue
            explanation = match.explanation
            if participant_id != a:
                explanation = flip(explanation)
            pairs[(a, b)] = (match.score, _explanation_dict(explanation))
    lock_key("match model", event.id)  # live refreshes wait for the new fit
    db.session.execute(sa.delete(Match).where(Match.event_id == event.id))
    _store_model(event, [_plain(p) for p in participants])
    now = utcnow()
    db.session.add_all(
        Match(
            event_id=event.id,
            participant_a_id=a,
            participant_b_id=b,
            score=min(1.0, max(0.0, float(score))),
            explanation=explanation,
            computed_at=now,
        )
        for (a, b), (score, explanation) in pairs.items()
    )
    event.matched_at = now
    db.session.flush()
    # Pending registrations keep their preview, scored against the new fit.
    for pending in db.session.scalars(
        sa.select(Participant).where(
            Participant.event_id == event.id, Participant.status == "pending"
        )
    ).all():
        refresh_matches(pending, top_k=top_k)
    db.session.commit()
    return len(pairs)


def _approved(event, but=None):
    query = (
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.status == "approved")
        .options(joinedload(Participant.organisation), selectinload(Participant.opportunities))
    )
    if but is not None:
        query = query.where(Participant.id != but.id)
    return db.session.scalars(query).all()


def _store_model(event, plain_participants):
    """Keep the event's fitted state (MatchModel) for live matching; none without participants."""
    model = db.session.get(MatchModel, event.id)
    if not plain_participants:
        if model is not None:
            db.session.delete(model)
        return None
    if model is None:
        model = MatchModel(event_id=event.id)
        db.session.add(model)
    model.payload = live.fit_state(plain_participants)
    model.fitted_at = utcnow()
    model.participant_count = len(plain_participants)
    return model


def _locked_model(event):
    """The event's MatchModel, locked: refreshes of one event take turns (PostgreSQL), so none
    overwrites another's state, and only the first of two fits a missing one."""
    lock_key("match model", event.id)
    return db.session.scalar(
        sa.select(MatchModel).where(MatchModel.event_id == event.id).with_for_update()
    )


def refresh_matches(participant, top_k=DEFAULT_TOP_K):
    """Score one registration against the event's fitted state at once (live matching) and
    replace the Match rows that involve it; the caller commits.

    - approved: its own list is its `top_k` best partners, and it also enters the list of every
      partner for whom it now scores at least that partner's `top_k`-th best (each pair is one
      row, so a partner's list is updated by the same rows); its vectors join the stored state.
    - pending: a preview of its own list only (partners do not see pending registrations, and
      it takes no place in their lists); the state is left as it was.
    - rejected or withdrawn: its rows go, and it leaves the state.

    Scores and explanations are those a full run would give with the stored fit (vocabulary and
    IDF of the last full run, matching/live.py); the organizer's full run refits. A partner that
    loses this participant from its list keeps one match fewer until the next full run.

    With no stored state yet (no full run), the event's approved participants are fitted first,
    once, inline: about 0.5 s for 2,000 participants with five opportunities each, after which
    every refresh costs one row product (see `python -m benchmarks.matching --incremental`).
    """
    event = participant.event
    model = _locked_model(event)
    own_rows = sa.or_(
        Match.participant_a_id == participant.id, Match.participant_b_id == participant.id
    )
    db.session.execute(sa.delete(Match).where(Match.event_id == event.id, own_rows))
    if participant.status not in ("approved", "pending"):
        if model is not None:
            model.payload = live.remove_participant(model.payload, participant.id)
        return 0
    approved = participant.status == "approved"
    if model is None:
        others = [_plain(p) for p in _approved(event, but=participant)]
        if not others:
            if approved:
                _store_model(event, [_plain(participant)])
            return 0
        model = _store_model(event, [*others, _plain(participant)] if approved else others)
    ranking = live.score_participant(
        model.payload, _plain(participant), rules_for(event), top_k=top_k, keep=approved
    )
    # Registrations that left since the fit (deleted, withdrawn elsewhere) may linger in the
    # state until the next full run: they are never matched.
    approved_ids = set(
        db.session.scalars(
            sa.select(Participant.id).where(
                Participant.event_id == event.id, Participant.status == "approved"
            )
        ).all()
    )
    chosen = {m.partner_id: m for m in ranking.matches if m.partner_id in approved_ids}
    if approved:
        entering = _entering_partner_lists(event, participant, ranking.scores, top_k)
        entering = (entering & approved_ids) - set(chosen)
        chosen.update({m.partner_id: m for m in ranking.matches_with(entering)})
        model.payload = ranking.state
        model.participant_count = ranking.participant_count
    now = utcnow()
    for partner_id, match in chosen.items():
        explanation = match.explanation
        a, b = sorted((participant.id, partner_id))
        if participant.id != a:
            explanation = flip(explanation)
        db.session.add(
            Match(
                event_id=event.id,
                participant_a_id=a,
                participant_b_id=b,
                score=min(1.0, max(0.0, float(match.score))),
                explanation=_explanation_dict(explanation),
                computed_at=now,
            )
        )
    db.session.flush()
    return len(chosen)


def _entering_partner_lists(event, participant, scores, top_k):
    """Ids of the partners whose own top-k list `participant` now enters: its score with them
    is at least their `top_k`-th best stored score with others (any positive score when they
    have fewer). Stored rows with pending registrations (previews) do not count.

    Cost: one query ranking the event's stored scores per participant in the database (about
    40,000 rows at 2,000 participants with 20 matches each), returning one row per participant."""
    if not scores:
        return set()
    pending = db.session.scalars(
        sa.select(Participant.id).where(
            Participant.event_id == event.id, Participant.status == "pending"
        )
    ).all()
    sides = []
    for owner, other in (
        (Match.participant_a_id, Match.participant_b_id),
        (Match.participant_b_id, Match.participant_a_id),
    ):
        side = sa.select(owner.label("owner"), Match.score.label("score")).where(
            Match.event_id == event.id
        )
        if pending:
            side = side.where(owner.not_in(pending), other.not_in(pending))
        sides.append(side)
    every = sa.union_all(*sides).subquery()
    ranked = sa.select(
        every.c.owner,
        every.c.score,
        sa.func.row_number()
        .over(partition_by=every.c.owner, order_by=every.c.score.desc())
        .label("rank"),
    ).subquery()
    kth_score = dict(
        db.session.execute(
            sa.select(ranked.c.owner, ranked.c.score).where(ranked.c.rank == top_k)
        ).all()
    )
    excluded = set(pending)
    return {
        partner_id
        for partner_id, score in scores.items()
        if partner_id not in excluded and score >= kth_score.get(partner_id, 0.0)
    }


def view_of(match, participant_id):
    """The stored explanation seen by `participant_id` (who may be either side)."""
    explanation = dict(match.explanation or {})
    if participant_id == match.participant_b_id:
        explanation["need_score"], explanation["offer_score"] = (
            explanation.get("offer_score", 0),
            explanation.get("need_score", 0),
        )
        explanation["partner_offers"], explanation["participant_offers"] = (
            explanation.get("participant_offers", []),
            explanation.get("partner_offers", []),
        )
    return explanation


def suggestions(participant, show="all"):
    """The participant's matches, best first, as dicts with the partner, score, its band
    ("band": key, "band_label": Strong/Good/Possible), explanation, this participant's mark,
    whether the interest is mutual, whether it lies below LIST_FLOOR ("below_floor") and where
    the pair stands ("standing": "booked", "agreed", "sent", "received" or None) and, when the
    two organisations met at an earlier event of the network, that meeting in words
    ("met_before": history.described, else None). `show`:
    "all" (without the ones marked not interested), "interested", "mutual" or "hidden"."""
    matches = db.session.scalars(
        sa.select(Match)
        .where(
            Match.event_id == participant.event_id,
            sa.or_(
                Match.participant_a_id == participant.id, Match.participant_b_id == participant.id
            ),
        )
        .options(
            joinedload(Match.participant_a).joinedload(Participant.organisation),
            joinedload(Match.participant_b).joinedload(Participant.organisation),
        )
        .order_by(Match.score.desc())
    ).all()
    marks = dict(
        db.session.execute(
            sa.select(Interest.target_id, Interest.value).where(
                Interest.participant_id == participant.id
            )
        ).all()
    )
    interested_in_me = set(
        db.session.scalars(
            sa.select(Interest.participant_id).where(
                Interest.target_id == participant.id, Interest.value == "interested"
            )
        ).all()
    )
    standing = _standings(participant)
    met = history.met_before_by_partner(participant)
    rows = []
    for match in matches:
        partner = (
            match.participant_b if match.participant_a_id == participant.id else match.participant_a
        )
        if partner.status != "approved":
            continue
        mark = marks.get(partner.id)
        mutual = mark == "interested" and partner.id in interested_in_me
        key, label = band(match.score)
        row = {
            "partner": partner,
            "score": match.score,
            "band": key,
            "band_label": label,
            "below_floor": match.score < LIST_FLOOR,
            "standing": standing.get(partner.id),
            "why": view_of(match, participant.id),
            "mark": mark,
            "mutual": mutual,
            "they_are_interested": partner.id in interested_in_me,
            "met_before": history.described(met.get(partner.organisation_id)),
        }
        if show == "hidden" and mark == "not_interested":
            rows.append(row)
        elif show == "interested" and mark == "interested":
            rows.append(row)
        elif show == "mutual" and mutual:
            rows.append(row)
        elif show == "all" and mark != "not_interested":
            rows.append(row)
    return rows


def _standings(participant):
    """Where each pair of the participant stands: {partner id: "booked" (a meeting of the
    published agenda), "agreed" (an accepted request), "sent" or "received" (a pending
    request)}; the furthest step wins."""
    from matchmaker.models import Meeting, Schedule

    order = {"received": 1, "sent": 1, "agreed": 2, "booked": 3}
    found = {}

    def note(partner_id, step):
        if order[step] > order.get(found.get(partner_id), 0):
            found[partner_id] = step

    for sender, receiver, status in db.session.execute(
        sa.select(
            MeetingRequest.sender_id, MeetingRequest.receiver_id, MeetingRequest.status
        ).where(
            sa.or_(
                MeetingRequest.sender_id == participant.id,
                MeetingRequest.receiver_id == participant.id,
            ),
            MeetingRequest.status.in_(("pending", "accepted")),
        )
    ).all():
        mine = sender == participant.id
        partner = receiver if mine else sender
        note(partner, "agreed" if status == "accepted" else ("sent" if mine else "received"))
    for a, b in db.session.execute(
        sa.select(Meeting.participant_a_id, Meeting.participant_b_id)
        .join(Schedule, Schedule.id == Meeting.schedule_id)
        .where(
            Schedule.event_id == participant.event_id,
            Schedule.status == "published",
            Meeting.status != "cancelled",
            sa.or_(
                Meeting.participant_a_id == participant.id,
                Meeting.participant_b_id == participant.id,
            ),
        )
    ).all():
        note(b if a == participant.id else a, "booked")
    return found


def mark_interest(participant, target, value, by):
    """Record the participant's mark on a partner ("interested", "not_interested", or None to
    clear it) and commit. "not interested" hides the partner and is a rule for the next run."""
    if participant.user_id != by.id:
        raise NotAllowed("You can only mark your own matches.")
    if value is not None and value not in INTEREST_VALUES:
        raise DomainError("Unknown mark.")
    if target.event_id != participant.event_id or target.id == participant.id:
        raise DomainError("You cannot mark this participant.")
    interest = db.session.scalar(
        sa.select(Interest).where(
            Interest.participant_id == participant.id, Interest.target_id == target.id
        )
    )
    if value is None:
        if interest is not None:
            db.session.delete(interest)
    elif interest is None:
        db.session.add(
            Interest(
                event_id=participant.event_id,
                participant_id=participant.id,
                target_id=target.id,
                value=value,
            )
        )
    else:
        interest.value = value
    db.session.commit()


def health(event, good=0.2):
    """Figures for the organizer: participants with no match of score >= `good`, with no
    request sent or received, with requests waiting for them, and a histogram of scores in
    ten bins of 0.1."""
    approved = db.session.scalars(
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.status == "approved")
        .options(joinedload(Participant.organisation))
    ).all()
    scores = db.session.execute(
        sa.select(Match.participant_a_id, Match.participant_b_id, Match.score).where(
            Match.event_id == event.id
        )
    ).all()
    best = {}
    histogram = [0] * 10
    for a, b, score in scores:
        histogram[min(9, int(score * 10))] += 1
        for pid in (a, b):
            best[pid] = max(best.get(pid, 0.0), score)
    requests = db.session.execute(
        sa.select(
            MeetingRequest.sender_id, MeetingRequest.receiver_id, MeetingRequest.status
        ).where(MeetingRequest.event_id == event.id)
    ).all()
    involved = {pid for s, r, _ in requests for pid in (s, r)}
    waiting = {}
    for _, receiver, status in requests:
        if status == "pending":
            waiting[receiver] = waiting.get(receiver, 0) + 1
    return {
        "participants": len(approved),
        "pairs": len(scores),
        "no_good_match": [p for p in approved if best.get(p.id, 0.0) < good],
        "no_request": [p for p in approved if p.id not in involved],
        "waiting": sorted(
            ((p, waiting[p.id]) for p in approved if p.id in waiting), key=lambda x: -x[1]
        ),
        "histogram": histogram,
        "good": good,
    }


def set_options(event, cross_border_bonus, excluded_type_pairs, by, met_before_policy=None):
    """Save the event's matching options and commit; they apply at the next run.
    `met_before_policy` (a key of MET_BEFORE_POLICIES; None keeps it): what happens to pairs
    who met at an earlier event of the network (matching/history.py)."""
    if not event.is_organized_by(by):
        raise NotAllowed("Only the event's organizers set matching options.")
    if cross_border_bonus < 0:
        raise DomainError("The cross-border preference cannot be negative.")
    if met_before_policy is not None:
        if met_before_policy not in MET_BEFORE_POLICIES:
            raise DomainError("Choose what happens to pairs who met before from the list.")
        event.met_before_policy = met_before_policy
    event.cross_border_bonus = cross_border_bonus
    event.excluded_type_pairs = [list(pair) for pair in excluded_type_pairs]
    db.session.commit()


def compute_task(event, by=None, progress=None):
    """`compute_matches` as a job task: returns the number of pairs stored."""
    report = (lambda done, total: progress("ranking", done / max(total, 1))) if progress else None
    return {"pairs": compute_matches(event, by=by, progress=report)}
