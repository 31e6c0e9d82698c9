"""Cursor pagination: `?limit=` and an opaque `?cursor=` taken from the previous page's
`next` link. A cursor is the position of the next page, signed with the app's key so that
a client cannot forge one (or read more into it than "where to go on")."""

from flask import current_app, request, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


class BadCursor(Exception):
    """The cursor was not made here (or is for another list)."""


def _serializer():
    return URLSafeSerializer(current_app.secret_key, salt="api-cursor")


def decode(cursor):
    """The offset a cursor stands for (0 without a cursor). Raises BadCursor."""
    if not cursor:
        return 0
    try:
        position = _serializer().loads(cursor)
    except BadSignature:
        raise BadCursor(_("This cursor is not valid; start again without one.")) from None
    offset = position.get("o") if isinstance(position, dict) else None
    if position.get("e") != request.endpoint or not isinstance(offset, int):
        raise BadCursor(_("This cursor is for another list; start again without one."))
    return max(0, min(offset, MAX_OFFSET))


def page(items, offset, limit, **view_args):
    """One page of the sequence `items` (a list, or anything sliceable with len) from
    `offset`, as {"items": [...], "next": link or None}."""
    chunk = list(items[offset : offset + limit])
    more = offset + limit < len(items)
    return {"items": chunk, "next": next_link(offset + limit, limit, view_args) if more else None}


def next_link(offset, limit, view_args):
    cursor = _serializer().dumps({"o": offset, "e": request.endpoint})
    args = {**request.view_args, **view_args, "cursor": cursor, "limit": limit}
    for name, value in request.args.items():
        args.setdefault(name, value)
    return url_for(request.endpoint, _external=True, **args)
