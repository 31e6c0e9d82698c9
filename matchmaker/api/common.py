"""What every API handler shares: a domain refusal as a problem, pages of a list."""

from flask import abort
from flask_babel import gettext as _

from matchmaker.api import pagination
from matchmaker.api.problems import problem
from matchmaker.extensions import db
from matchmaker.services.errors import DomainError, NotAllowed


def domain_call(action, *args, **kwargs):
    """Run one service call; its refusal (a DomainError, with its reason in words) becomes a
    problem: 403 for NotAllowed, 409 for the others. Nothing is left half-written."""
    try:
        return action(*args, **kwargs)
    except NotAllowed as error:
        db.session.rollback()
        abort(problem(403, str(error)))
    except DomainError as error:
        db.session.rollback()
        abort(problem(409, str(error), "refused", title=_("Refused")))


def refuse_fields(**messages):
    """Answer 422 with `messages` as the errors of those fields."""
    errors = {name: [str(message)] for name, message in messages.items()}
    abort(problem(422, _("Some values are not valid: see errors."), "validation", errors,
                  title=_("Invalid input")))  # fmt: skip


def paged(items, args):
    """The page of `items` the query's `cursor` and `limit` ask for."""
    try:
        offset = pagination.decode(args.get("cursor"))
    except pagination.BadCursor as error:
        refuse_fields(cursor=str(error))
    return pagination.page(items, offset, args["limit"])


def paged_query(fetch, args):
    """The page of a database listing: `fetch(page, per_page)` is a Flask-SQLAlchemy
    paginate call (the cursor's offset is a whole number of pages of the same `limit`)."""
    try:
        offset = pagination.decode(args.get("cursor"))
    except pagination.BadCursor as error:
        refuse_fields(cursor=str(error))
    limit = args["limit"]
    found = fetch(offset // limit + 1, limit)
    start = (found.page - 1) * limit
    more = start + limit < (found.total or 0)
    following = pagination.next_link(start + limit, limit, {}) if more else None
    return {"items": list(found.items), "next": following}
