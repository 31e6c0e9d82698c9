"""The inbox: what waits for a person (requests to answer, unread messages, unread notices),
the message thread of a pair of participants, notices, and the mail each message sends (at
once, in a daily digest, or not at all, as the receiver chose).

A thread belongs to a pair of participants of one event, so it spans their request and their
meeting. Only the two of them write in it; the event's organizers may read it.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from matchmaker.extensions import db
from matchmaker.models import Match, Meeting, MeetingRequest, Participant, User
from matchmaker.models.base import utcnow
from matchmaker.models.inbox import Message, Notice
from matchmaker.services.agenda import why_lines
from matchmaker.services.errors import DomainError, NotAllowed
from matchmaker.services.mail import send_mail
from matchmaker.services.matchmaking import view_of

MESSAGE_LENGTH = 2000  # characters in one message (the column's size)
EMAIL_CHOICES = {
    "each": _l("An email for each message"),
    "digest": _l("One email a day with what waits"),
    "none": _l("No email: I look in the inbox"),
}


def waiting_count(user):
    """How many things wait for `user`: requests to answer, unread messages and unread
    notices, over every event. One query, for the navigation bar of every page."""
    if user is None or not user.is_authenticated:
        return 0
    mine = sa.select(Participant.id).where(Participant.user_id == user.id)
    requests = (
        sa.select(sa.func.count())
        .select_from(MeetingRequest)
        .where(MeetingRequest.receiver_id.in_(mine), MeetingRequest.status == "pending")
        .scalar_subquery()
    )
    messages = (
        sa.select(sa.func.count())
        .select_from(Message)
        .where(Message.receiver_id.in_(mine), Message.read_at.is_(None))
        .scalar_subquery()
    )
    notices = (
        sa.select(sa.func.count())
        .select_from(Notice)
        .where(Notice.user_id == user.id, Notice.read_at.is_(None))
        .scalar_subquery()
    )
    return db.session.scalar(sa.select(requests + messages + notices)) or 0


@dataclass(frozen=True)
class ThreadSummary:
    """A thread with unread messages for the inbox: the pair, the newest message, how many."""

    me: Participant
    partner: Participant
    unread: int
    last: Message


@dataclass(frozen=True)
class Inbox:
    requests: list[MeetingRequest]
    threads: list[ThreadSummary]
    notices: list[Notice]


def inbox_of(user, notice_limit=50):
    """What waits for `user`: pending requests they received (oldest first), threads with
    unread messages (newest first) and their notices (newest first, read ones too, at most
    `notice_limit`). Four queries."""
    mine = sa.select(Participant.id).where(Participant.user_id == user.id)
    requests = db.session.scalars(
        sa.select(MeetingRequest)
        .where(MeetingRequest.receiver_id.in_(mine), MeetingRequest.status == "pending")
        .options(
            joinedload(MeetingRequest.sender).joinedload(Participant.organisation),
            joinedload(MeetingRequest.receiver).joinedload(Participant.event),
        )
        .order_by(MeetingRequest.created_at)
    ).all()
    unread = db.session.scalars(
        sa.select(Message)
        .where(Message.receiver_id.in_(mine), Message.read_at.is_(None))
        .options(
            joinedload(Message.sender).joinedload(Participant.organisation),
            joinedload(Message.receiver).joinedload(Participant.event),
        )
        .order_by(Message.created_at.desc())
    ).all()
    threads = {}
    for message in unread:
        key = (message.receiver_id, message.sender_id)
        if key in threads:
            summary = threads[key]
            threads[key] = ThreadSummary(
                summary.me, summary.partner, summary.unread + 1, summary.last
            )
        else:
            threads[key] = ThreadSummary(message.receiver, message.sender, 1, message)
    notices = db.session.scalars(
        sa.select(Notice)
        .where(Notice.user_id == user.id)
        .order_by(Notice.created_at.desc(), Notice.id.desc())
        .limit(notice_limit)
    ).all()
    return Inbox(list(requests), list(threads.values()), list(notices))


def add_notice(user, kind, text, link="", event=None):
    """Add a notice for `user` (a User) to the current transaction: `kind` a short word
    ("booking", "declined", ...), `text` one sentence for people (500 characters at most),
    `link` the site path where it is. The caller commits."""
    notice = Notice(
        user_id=user.id,
        event_id=event.id if event is not None else None,
        kind=kind[:30],
        text=text[:500],
        link=link if _local(link) else "",
    )
    db.session.add(notice)
    return notice


def _local(link):
    return link.startswith("/") and not link.startswith("//") and "\\" not in link


def open_notice(notice_id, by):
    """Mark `by`'s notice read and return the path it points to ("" when none). Raises
    NotAllowed for a notice that is not theirs (the view answers 404)."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.user_id != by.id:
        raise NotAllowed("This notice is not yours.")
    if notice.read_at is None:
        notice.read_at = utcnow()
        db.session.commit()
    return notice.link if _local(notice.link or "") else ""


def mark_notices_read(by):
    """Mark every notice of `by` read; returns how many were unread."""
    count = (
        db.session.execute(
            sa.update(Notice)
            .where(Notice.user_id == by.id, Notice.read_at.is_(None))
            .values(read_at=utcnow())
        ).rowcount
        or 0
    )
    db.session.commit()
    return count


def _pair(a, b):
    return sa.or_(
        sa.and_(Message.sender_id == a.id, Message.receiver_id == b.id),
        sa.and_(Message.sender_id == b.id, Message.receiver_id == a.id),
    )


def linked(a, b):
    """Whether two participants have something to talk about: a request between them (in any
    state) or a meeting in one of the event's schedules. Two queries at most."""
    if a.event_id != b.event_id or a.id == b.id:
        return False
    request = db.session.scalar(
        sa.select(MeetingRequest.id)
        .where(
            sa.or_(
                sa.and_(MeetingRequest.sender_id == a.id, MeetingRequest.receiver_id == b.id),
                sa.and_(MeetingRequest.sender_id == b.id, MeetingRequest.receiver_id == a.id),
            )
        )
        .limit(1)
    )
    if request is not None:
        return True
    meeting = db.session.scalar(
        sa.select(Meeting.id)
        .where(
            sa.or_(
                sa.and_(Meeting.participant_a_id == a.id, Meeting.participant_b_id == b.id),
                sa.and_(Meeting.participant_a_id == b.id, Meeting.participant_b_id == a.id),
            )
        )
        .limit(1)
    )
    return meeting is not None


def thread(a, b):
    """The messages between participants `a` and `b`, oldest first, senders loaded."""
    return db.session.scalars(
        sa.select(Message)
        .where(_pair(a, b))
        .options(joinedload(Message.sender).joinedload(Participant.organisation))
        .order_by(Message.created_at, Message.id)
    ).all()


def unread_by_partner(me):
    """How many unread messages `me` has from each partner (partner id -> count). One query."""
    rows = db.session.execute(
        sa.select(Message.sender_id, sa.func.count())
        .where(Message.receiver_id == me.id, Message.read_at.is_(None))
        .group_by(Message.sender_id)
    ).all()
    return dict(rows)


def open_thread(me, partner, by):
    """The thread of `me` (by's registration) with `partner`, oldest first; marks the
    messages `me` received in it read. Raises NotAllowed when `me` is not by's or the pair has
    no request or meeting together."""
    _check_pair(me, partner, by)
    messages = thread(me, partner)
    now = utcnow()
    changed = False
    for message in messages:
        if message.receiver_id == me.id and message.read_at is None:
            message.read_at = now
            changed = True
    if changed:
        db.session.commit()
    return messages


def _check_pair(me, partner, by):
    if me.user_id != by.id or me.status != "approved":
        raise NotAllowed("Only the two participants write in their thread.")
    if partner.status != "approved" or not linked(me, partner):
        raise NotAllowed("You can write to a participant once a request or a meeting joins you.")


def check_length(body, limit=MESSAGE_LENGTH):
    """Raise DomainError naming the limit when `body` is longer than `limit` characters."""
    if len(body) > limit:
        raise DomainError(f"At most {limit:,} characters (you wrote {len(body):,}).")


def post_message(me, partner, body, by):
    """Add a message from `me` (by's registration) to `partner` and commit. The receiver gets
    an email at once when they chose so ("each"); "digest" waits for send_digests. Raises
    DomainError for an empty or too long text (the limit is named), NotAllowed as
    open_thread does."""
    _check_pair(me, partner, by)
    body = (body or "").strip()
    if not body:
        raise DomainError("Write a message first.")
    check_length(body)
    message = Message(event_id=me.event_id, sender_id=me.id, receiver_id=partner.id, body=body)
    db.session.add(message)
    receiver = partner.user
    if receiver is not None and receiver.is_active and receiver.message_email == "each":
        event = me.event
        send_mail(
            receiver.email,
            _l(
                "%(organisation)s wrote to you · %(event)s",
                organisation=me.organisation.name,
                event=event.title,
            ),
            "inbox_message",
            user=receiver,
            sender=me,
            event=event,
            body=body,
        )
    db.session.commit()
    return message


def set_message_email(user, choice, by):
    """Set how `user` hears of messages: "each", "digest" or "none". Starting a digest counts
    from now, so the first one holds nothing from before."""
    if by.id != user.id:
        raise NotAllowed("Only you choose how you hear of messages.")
    if choice not in EMAIL_CHOICES:
        raise DomainError("Choose one of the options.")
    if choice == "digest" and user.message_email != "digest":
        user.digest_sent_at = utcnow()
    user.message_email = choice
    db.session.commit()


def match_views(me, partners):
    """The stored match of `me` with each of `partners`: partner id -> the explanation seen by
    `me` with its "score" (0-1) and "lines" (sentences saying why). Partners without a match
    are left out. One query."""
    ids = [p.id for p in partners]
    if not ids:
        return {}
    matches = db.session.scalars(
        sa.select(Match).where(
            sa.or_(
                sa.and_(Match.participant_a_id == me.id, Match.participant_b_id.in_(ids)),
                sa.and_(Match.participant_b_id == me.id, Match.participant_a_id.in_(ids)),
            )
        )
    ).all()
    views = {}
    for match in matches:
        other = (
            match.participant_b_id if match.participant_a_id == me.id else match.participant_a_id
        )
        why = view_of(match, me.id)
        views[other] = {"score": match.score, "lines": why_lines(why), **why}
    return views


@dataclass(frozen=True)
class Digest:
    requests: list[MeetingRequest]
    messages: list[Message]
    notices: list[Notice]

    def __bool__(self):
        return bool(self.requests or self.messages or self.notices)


def digest_of(user, since):
    """What came for `user` after `since` (None: ever) and still waits: pending requests,
    unread messages and unread notices."""
    mine = sa.select(Participant.id).where(Participant.user_id == user.id)

    def after(column):
        return column > since if since is not None else sa.true()

    requests = db.session.scalars(
        sa.select(MeetingRequest)
        .where(
            MeetingRequest.receiver_id.in_(mine),
            MeetingRequest.status == "pending",
            after(MeetingRequest.created_at),
        )
        .options(joinedload(MeetingRequest.sender).joinedload(Participant.organisation))
        .order_by(MeetingRequest.created_at)
    ).all()
    messages = db.session.scalars(
        sa.select(Message)
        .where(Message.receiver_id.in_(mine), Message.read_at.is_(None), after(Message.created_at))
        .options(joinedload(Message.sender).joinedload(Participant.organisation))
        .order_by(Message.created_at)
    ).all()
    notices = db.session.scalars(
        sa.select(Notice)
        .where(Notice.user_id == user.id, Notice.read_at.is_(None), after(Notice.created_at))
        .order_by(Notice.created_at)
    ).all()
    return Digest(list(requests), list(messages), list(notices))


def send_digests(now=None):
    """Mail each user who chose the daily digest what came since their last one and still
    waits, and move their digest_sent_at to `now`. Users with nothing new get no mail.
    Returns how many mails were queued. For a daily cron job (`flask inbox digest`)."""
    now = now or utcnow()
    users = db.session.scalars(
        sa.select(User).where(User.message_email == "digest", User.active.is_(True))
    ).all()
    sent = 0
    for user in users:
        digest = digest_of(user, user.digest_sent_at)
        if digest:
            send_mail(
                user.email,
                _l("What waits for you in Matchmaker"),
                "inbox_digest",
                user=user,
                digest=digest,
            )
            sent += 1
        user.digest_sent_at = now
    db.session.commit()
    return sent
