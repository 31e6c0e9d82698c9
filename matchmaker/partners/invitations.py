"""The invitation link a visitor followed, kept in the session across sign-up and login so
that the registration at the end is tagged with its partner."""

from flask import session

from matchmaker.services import partners

KEY = "partner_invitation"  # session key: [event slug, token]


def remember(event, token):
    session[KEY] = [event.slug, token]


def partner_for(event):
    """The partner whose link the visitor followed for `event`, or None (no link, a link of
    another event, or a link replaced since)."""
    kept = session.get(KEY)
    if not isinstance(kept, list) or len(kept) != 2 or kept[0] != event.slug:
        return None
    return partners.partner_for_token(event, str(kept[1]))


def forget():
    session.pop(KEY, None)
