"""Read-side queries of the marketplace: search an event's approved participants and their
opportunities by free text and by filters, a page at a time, with no N+1.

Everything here runs on SQLite and PostgreSQL alike: text search is a case-insensitive LIKE
with the user's wildcards escaped, and the sector filter looks for the sector's JSON string
inside the organisation's JSON list (see `_has_sector`).
"""

import json
from dataclasses import dataclass

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from matchmaker.extensions import db
from matchmaker.models import Opportunity, Organisation, Participant

# More words than this in one search add cost and no precision; the rest are ignored.
MAX_SEARCH_TERMS = 8


@dataclass(frozen=True)
class Filters:
    """What the visitor searches for; an empty string means "any"."""

    q: str = ""
    country: str = ""
    type: str = ""
    sector: str = ""
    category: str = ""
    kind: str = ""

    @property
    def terms(self):
        return self.q.split()[:MAX_SEARCH_TERMS]

    @property
    def active(self):
        return any((self.q.strip(), self.country, self.type, self.sector, self.category, self.kind))


def search_opportunities(event, filters, page=1, per_page=25):
    """One page of the opportunities of the event's approved participants that match `filters`.

    Every word of `filters.q` must appear (case-insensitively, literally) in the title,
    description, keywords or organisation name. Ordered by organisation name, then the order
    the opportunities were entered. Participant and organisation are loaded with the page:
    three queries whatever the page size (page keys, page rows, count; nothing lazy
    afterwards). The database sorts and counts keys only, not whole rows (see `_KeyedPage`).
    """
    keys = (
        sa.select(Opportunity.id)
        .join(Opportunity.participant)
        .join(Participant.organisation)
        .where(*_approved(event), *_organisation_filters(filters))
        .order_by(Organisation.name, Opportunity.id)
    )
    for term in filters.terms:
        keys = keys.where(
            sa.or_(
                *(
                    column.icontains(term, autoescape=True)
                    for column in (
                        Opportunity.title,
                        Opportunity.description,
                        Opportunity.keywords,
                        Organisation.name,
                    )
                )
            )
        )
    if filters.category:
        keys = keys.where(Opportunity.category == filters.category)
    if filters.kind:
        keys = keys.where(Opportunity.kind == filters.kind)
    rows = (
        sa.select(Opportunity)
        .join(Opportunity.participant)
        .join(Participant.organisation)
        .options(
            contains_eager(Opportunity.participant).contains_eager(Participant.organisation),
        )
    )
    return _KeyedPage(
        page=page, per_page=per_page, error_out=False, keys=keys, rows=rows, key=Opportunity.id
    )


def search_participants(event, filters, page=1, per_page=25):
    """One page of the event's approved participants that match `filters` (category and kind
    are ignored).

    Every word of `filters.q` must appear in the organisation's name or description, in what
    the participant is looking for, or in one of its opportunities. Ordered by organisation
    name; organisation, person and opportunities are loaded with the page (four queries).
    """
    query = (
        sa.select(Participant.id)
        .join(Participant.organisation)
        .where(*_approved(event), *_organisation_filters(filters))
        .order_by(Organisation.name, Participant.id)
    )
    for term in filters.terms:
        in_opportunities = (
            sa.select(Opportunity.id)
            .where(
                Opportunity.participant_id == Participant.id,
                sa.or_(
                    Opportunity.title.icontains(term, autoescape=True),
                    Opportunity.description.icontains(term, autoescape=True),
                    Opportunity.keywords.icontains(term, autoescape=True),
                ),
            )
            .exists()
        )
        query = query.where(
            sa.or_(
                Organisation.name.icontains(term, autoescape=True),
                Organisation.description.icontains(term, autoescape=True),
                Participant.looking_for.icontains(term, autoescape=True),
                in_opportunities,
            )
        )
    rows = (
        sa.select(Participant)
        .join(Participant.organisation)
        .options(
            contains_eager(Participant.organisation),
            joinedload(Participant.user),
            selectinload(Participant.opportunities),
        )
    )
    return _KeyedPage(
        page=page, per_page=per_page, error_out=False, keys=query, rows=rows, key=Participant.id
    )


class _KeyedPage(Pagination):
    """A page of a search, as `db.paginate` gives, that sorts and counts only the keys.

    Sorting an event's thousands of joined rows with their descriptions costs the database
    more than the page itself; so `keys` (a select of one key column, filtered and ordered)
    picks the page's keys, and `rows` (a select of the entities, with their eager loads)
    loads those rows alone, put back in the keys' order. Arguments: `keys`, `rows`, `key`
    (the column of `rows` that `keys` selects)."""

    def _query_items(self):
        keys = self._query_args["keys"]
        ids = db.session.scalars(keys.limit(self.per_page).offset(self._query_offset)).all()
        if not ids:
            return []
        rows = self._query_args["rows"].where(self._query_args["key"].in_(ids))
        by_id = {row.id: row for row in db.session.scalars(rows).unique()}
        return [by_id[i] for i in ids if i in by_id]

    def _query_count(self):
        # Apart from the page: with the indexes on organisations' names and participants'
        # organisations the page's keys take well under a millisecond on 8,000 opportunities,
        # while a window count over the same rows would sort them all.
        counted = self._query_args["keys"].order_by(None).subquery()
        return db.session.scalar(sa.select(sa.func.count()).select_from(counted))


def event_countries(event):
    """The country codes of the event's approved participants, each once (unsorted)."""
    return db.session.scalars(
        sa.select(Organisation.country)
        .distinct()
        .join(Participant, Participant.organisation_id == Organisation.id)
        .where(*_approved(event))
    ).all()


def approved_participant(event, participant_id):
    """The event's approved participant with this id, its organisation, person and
    opportunities loaded; None when it does not exist, belongs to another event or is not
    approved."""
    return db.session.scalar(
        sa.select(Participant)
        .where(Participant.id == participant_id, *_approved(event))
        .options(
            joinedload(Participant.organisation),
            joinedload(Participant.user),
            selectinload(Participant.opportunities),
        )
    )


def approved_opportunity(event, opportunity_id):
    """The opportunity with this id if it belongs to an approved participant of the event,
    with the participant, its organisation, person and other opportunities loaded; else None."""
    return db.session.scalar(
        sa.select(Opportunity)
        .join(Opportunity.participant)
        .where(Opportunity.id == opportunity_id, *_approved(event))
        .options(
            contains_eager(Opportunity.participant).options(
                joinedload(Participant.organisation),
                joinedload(Participant.user),
                selectinload(Participant.opportunities),
            )
        )
    )


def _approved(event):
    return (Participant.event_id == event.id, Participant.status == "approved")


def _organisation_filters(filters):
    conditions = []
    if filters.country:
        conditions.append(Organisation.country == filters.country)
    if filters.type:
        conditions.append(Organisation.type == filters.type)
    if filters.sector:
        conditions.append(_has_sector(filters.sector))
    return conditions


def _has_sector(sector):
    """Organisation.sectors (a JSON list of strings) contains `sector`.

    Portable without JSON functions: the column's text holds the sector as a JSON string,
    quotes included, so a LIKE on that string (wildcards escaped) matches whole items only.
    The JSON serializer escapes non-ASCII by default; rows written by other tools may not, so
    both spellings are accepted.
    """
    as_text = sa.cast(Organisation.sectors, sa.Text)
    spellings = {json.dumps(sector), json.dumps(sector, ensure_ascii=False)}
    return sa.or_(*(as_text.contains(spelling, autoescape=True) for spelling in spellings))
