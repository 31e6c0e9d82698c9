"""The account's Tokens page: make a personal access token (shown once), list, revoke."""

from datetime import datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.api.forms import SCOPE_WORDS, RevokeForm, TokenForm
from matchmaker.services import api_tokens
from matchmaker.services.errors import DomainError

bp = Blueprint("api_tokens", __name__, url_prefix="/account/tokens")


def _page(form, made=None, secret=None, status=200):
    return render_template(
        "api/tokens.html",
        form=form,
        tokens=api_tokens.tokens_of(current_user),
        made=made,
        secret=secret,
        scope_words=SCOPE_WORDS,
    ), status  # fmt: skip


@bp.get("")
@login_required
def index():
    return _page(TokenForm())


@bp.post("")
@login_required
def create():
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form)
    expires = form.expires_on.data
    expires_at = datetime.combine(expires, time()) if expires else None  # from that day on
    try:
        made, secret = api_tokens.create(current_user, form.name.data, form.scopes.data,
                                         expires_at=expires_at)  # fmt: skip
    except DomainError as error:
        flash(str(error), "danger")
        return _page(form)
    # Rendered, not redirected: the token is in this answer and nowhere else.
    return _page(TokenForm(formdata=None), made=made, secret=secret)


def _own(token_id):
    return api_tokens.token_of(current_user, token_id) or abort(404)


@bp.route("/<int:token_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke(token_id):
    token = _own(token_id)
    form = RevokeForm()
    if form.validate_on_submit():
        api_tokens.revoke(token, by=current_user)
        flash(_("Token “%(name)s” revoked: it no longer works.", name=token.name), "info")
        return redirect(url_for("api_tokens.index"))
    return render_template("api/revoke.html", token=token, form=form)
