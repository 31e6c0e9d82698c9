"""The footer's language switcher: remembered on the account, or in the session of a visitor."""

from flask import abort, redirect, request, session, url_for
from flask_login import current_user

from matchmaker.extensions import db
from matchmaker.i18n import LANGUAGES, bp
from matchmaker.webutil import local_path


@bp.route("/language", methods=["POST"])
def choose_language():
    code = request.form.get("locale", "")
    if code not in LANGUAGES:
        abort(400)
    session["locale"] = code
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return redirect(local_path(request.form.get("next")) or url_for("main.index"))
