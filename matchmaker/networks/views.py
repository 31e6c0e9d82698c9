from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from matchmaker.countries import country_name
from matchmaker.extensions import db
from matchmaker.models import NetworkMember, Organisation
from matchmaker.networks import bp
from matchmaker.networks.charts import network_charts
from matchmaker.networks.forms import (
    ActionForm,
    ChairForm,
    DateActionForm,
    EmailForm,
    MemberForm,
    NetworkForm,
)
from matchmaker.permissions import network_or_404, role_required
from matchmaker.services import exports, network_statistics, networks
from matchmaker.services.errors import DomainError
from matchmaker.webutil import download, flash_errors, options

MEMBER_FORMS = ("networks.add_member", "networks.edit_member")
# Room for the multipart envelope and the other fields around the logo.
_FORM_OVERHEAD = 64 * 1024


@bp.url_value_preprocessor
def _limit_upload(endpoint, _values):
    """Cap the member forms' request body before anything reads it (CSRF reads the form)."""
    if endpoint in MEMBER_FORMS:
        request.max_content_length = networks.LOGO_MAX_BYTES + _FORM_OVERHEAD


@bp.errorhandler(RequestEntityTooLarge)
def _upload_too_large(error):
    if request.endpoint not in MEMBER_FORMS:
        return error
    network_or_404(request.view_args["slug"], manage=True)
    flash(_("The logo is too large: at most %(size)d KB. Nothing was saved.",
            size=networks.LOGO_MAX_BYTES // 1024), "danger")  # fmt: skip
    return redirect(request.path)


# --- public ----------------------------------------------------------------------------------


@bp.get("")
def index():
    return render_template("networks/index.html", networks=networks.all_networks())


@bp.get("/<slug>")
def show(slug):
    network = network_or_404(slug)
    return render_template(
        "networks/show.html",
        page=networks.public_view(network),
        may_manage=network.is_administered_by(current_user),
        initials=networks.member_initials,
    )


@bp.get("/<slug>/members/<int:member_id>/logo")
def logo(slug, member_id):
    member = _member_or_404(network_or_404(slug), member_id)
    found = networks.logo_path(member) or abort(404)
    folder, name, mimetype = found
    response = send_from_directory(folder, name, mimetype=mimetype, max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/new", methods=["GET", "POST"])
@role_required("admin")
def new_network():
    form = NetworkForm()
    if form.validate_on_submit():
        try:
            network = networks.create_network(
                form.name.data, form.slug.data, by=current_user,
                description=form.description.data, website=form.website.data,
            )  # fmt: skip
        except DomainError as error:
            form.slug.errors.append(str(error))
        else:
            flash(_("Network “%(network)s” created. Add its members and administrators.",
                    network=network.name), "success")  # fmt: skip
            return redirect(url_for("networks.manage", slug=network.slug))
    return render_template("networks/network_form.html", form=form)


# --- administration --------------------------------------------------------------------------


@bp.get("/<slug>/manage")
@login_required
def manage(slug):
    network = network_or_404(slug, manage=True)
    return render_template(
        "networks/manage.html",
        page=networks.public_view(network, figures=False),
        chair_form=_chair_form(network),
        admin_form=EmailForm(),
        staff_form=EmailForm(),
        action_form=ActionForm(),
        initials=networks.member_initials,
        today=date.today(),
    )


@bp.route("/<slug>/members/new", methods=["GET", "POST"])
@login_required
def add_member(slug):
    network = network_or_404(slug, manage=True)
    form = MemberForm()
    del form.remove_logo
    form.existing.choices = _organisation_choices(network)
    if form.validate_on_submit():
        picked = db.session.get(Organisation, form.existing.data) if form.existing.data else None
        try:
            member = networks.add_member(
                network, form.member_data(), by=current_user,
                logo=_upload(form), organisation=picked,
            )  # fmt: skip
        except DomainError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            flash(
                _(
                    "%(name)s is now a member of %(network)s.",
                    name=member.name,
                    network=network.name,
                ),
                "success",
            )
            return redirect(url_for("networks.manage", slug=slug))
    return render_template("networks/member_form.html", network=network, form=form, member=None)


@bp.route("/<slug>/members/<int:member_id>/edit", methods=["GET", "POST"])
@login_required
def edit_member(slug, member_id):
    network = network_or_404(slug, manage=True)
    member = _member_or_404(network, member_id)
    # The organisation fills its fields, the membership the others: a field a POST leaves
    # out keeps the stored value instead of a default.
    membership = {name: getattr(member, name) for name in networks.MEMBER_FIELDS}
    form = MemberForm(obj=member.organisation, data=membership)
    del form.existing
    if form.validate_on_submit():
        try:
            networks.update_member(
                member,
                form.member_data(),
                by=current_user,
                logo=_upload(form),
                remove_logo=form.remove_logo.data,
            )
        except DomainError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            flash(_("%(name)s: saved.", name=member.name), "success")
            return redirect(url_for("networks.manage", slug=slug))
    return render_template("networks/member_form.html", network=network, form=form,
                           member=member)  # fmt: skip


@bp.post("/<slug>/members/<int:member_id>/<any(leave, rejoin):move>")
@login_required
def member_move(slug, member_id, move):
    network = network_or_404(slug, manage=True)
    member = _member_or_404(network, member_id)
    form = DateActionForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(url_for("networks.manage", slug=slug))
    if form.confirmed.data != "yes":
        return render_template("networks/confirm.html", network=network, form=form,
                               action=move, member=member)  # fmt: skip
    try:
        (networks.mark_left if move == "leave" else networks.rejoin)(
            member, form.on.data, by=current_user
        )
    except DomainError as error:
        flash(str(error), "danger")
    else:
        done = (
            _("%(name)s left %(network)s on %(date)s.")
            if move == "leave"
            else _("%(name)s rejoined %(network)s on %(date)s.")
        )
        when = format_date(form.on.data, "dd MMMM y")
        flash(done % {"name": member.name, "network": network.name, "date": when}, "success")
    return redirect(url_for("networks.manage", slug=slug))


@bp.post("/<slug>/chair")
@login_required
def hand_over_chair(slug):
    network = network_or_404(slug, manage=True)
    form = _chair_form(network)
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(url_for("networks.manage", slug=slug))
    member = _member_or_404(network, form.member.data)
    if form.confirmed.data != "yes":
        return render_template("networks/confirm.html", network=network, form=form,
                               action="chair", member=member,
                               chair=networks.current_chair(network))  # fmt: skip
    try:
        networks.hand_over_chair(network, member, form.starts_on.data, by=current_user)
    except DomainError as error:
        flash(str(error), "danger")
    else:
        flash(
            _(
                "%(name)s holds the chair from %(date)s.",
                name=member.name,
                date=format_date(form.starts_on.data, "dd MMMM y"),
            ),
            "success",
        )
    return redirect(url_for("networks.manage", slug=slug))


@bp.post("/<slug>/admins")
@login_required
def add_admin(slug):
    network = network_or_404(slug, manage=True)
    form = EmailForm()
    if form.validate_on_submit():
        try:
            user = networks.add_admin(network, form.email.data, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(
                _("%(name)s now administers %(network)s.", name=user.name, network=network.name),
                "success",
            )
    else:
        flash_errors(form)
    return redirect(url_for("networks.manage", slug=slug) + "#admins")


@bp.post("/<slug>/admins/<int:user_id>/remove")
@login_required
def remove_admin(slug, user_id):
    network = network_or_404(slug, manage=True)
    user = next((u for u in network.admins if u.id == user_id), None) or abort(404)
    if ActionForm().validate_on_submit():
        try:
            networks.remove_admin(network, user, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(
                _(
                    "%(name)s no longer administers %(network)s.",
                    name=user.name,
                    network=network.name,
                ),
                "info",
            )
    return redirect(url_for("networks.manage", slug=slug) + "#admins")


@bp.post("/<slug>/members/<int:member_id>/staff")
@login_required
def add_staff(slug, member_id):
    network = network_or_404(slug, manage=True)
    member = _member_or_404(network, member_id)
    form = EmailForm()
    if form.validate_on_submit():
        try:
            user = networks.add_staff(member, form.email.data, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(
                _(
                    "%(name)s is now on the staff of %(member)s.",
                    name=user.name,
                    member=member.name,
                ),
                "success",
            )
    else:
        flash_errors(form)
    return redirect(url_for("networks.manage", slug=slug) + f"#member-{member.id}")


@bp.post("/<slug>/members/<int:member_id>/staff/<int:user_id>/remove")
@login_required
def remove_staff(slug, member_id, user_id):
    network = network_or_404(slug, manage=True)
    member = _member_or_404(network, member_id)
    user = next((u for u in member.staff if u.id == user_id), None) or abort(404)
    if ActionForm().validate_on_submit():
        try:
            networks.remove_staff(member, user, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(
                _("%(name)s left the staff of %(member)s.", name=user.name, member=member.name),
                "info",
            )
    return redirect(url_for("networks.manage", slug=slug) + f"#member-{member.id}")


@bp.get("/<slug>/log")
@login_required
def log(slug):
    network = network_or_404(slug, manage=True)
    return render_template("networks/log.html", network=network,
                           entries=networks.log_entries(network))  # fmt: skip


@bp.get("/<slug>/statistics")
@login_required
def statistics_page(slug):
    network = network_or_404(slug, manage=True)
    result = network_statistics.gather(network)
    return render_template("networks/statistics.html", network=network, result=result,
                           charts=network_charts(result))  # fmt: skip


@bp.get("/<slug>/statistics.<any(csv, xlsx):fmt>")
@login_required
def statistics_export(slug, fmt):
    network = network_or_404(slug, manage=True)
    rows = network_statistics.export_rows(network_statistics.gather(network))
    return download(*exports.table_file(f"{network.slug}-statistics", fmt,
                                        network_statistics.EXPORT_HEADER, rows))  # fmt: skip


# --- helpers ---------------------------------------------------------------------------------


def _member_or_404(network, member_id):
    member = db.session.get(NetworkMember, member_id)
    if member is None or member.network_id != network.id:
        abort(404)
    return member


def _chair_form(network):
    form = ChairForm()
    current = [m for m in sorted(network.members, key=lambda m: m.name.casefold()) if m.is_current]
    form.member.choices = options([(0, _("Choose a member"))] + [(m.id, m.name) for m in current])
    return form


def _organisation_choices(network):
    """Organisations that could join: clusters, public bodies and others not members yet."""
    taken = sa.select(NetworkMember.organisation_id).where(NetworkMember.network_id == network.id)
    found = db.session.execute(
        sa.select(Organisation.id, Organisation.name, Organisation.country)
        .where(Organisation.type.in_(("cluster", "public_body", "other")),
               Organisation.id.not_in(taken))
        .order_by(Organisation.name)
        .limit(500)
    ).all()  # fmt: skip
    return options(
        [(0, _("A new organisation (fill in below)"))]
        + [(row.id, f"{row.name} ({country_name(row.country)})") for row in found]
    )


def _upload(form):
    """The uploaded logo's bytes, or None when no file was chosen."""
    upload = form.logo.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    return upload.read(networks.LOGO_MAX_BYTES + 1) or None


def _show_error(form, error):
    """A refused logo is said under the logo field; anything else above the form."""
    if "logo" in str(error):
        form.logo.errors.append(str(error))
    else:
        flash(str(error), "danger")
