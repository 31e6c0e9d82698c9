"""The organizer's Groups page: an economic mission's delegation and hosts (or any groups),
who may meet whom, and who belongs where."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from matchmaker.countries import country_name
from matchmaker.extensions import db
from matchmaker.models import Participant, ParticipantGroup
from matchmaker.organizer import bp
from matchmaker.organizer.forms import ActionForm
from matchmaker.organizer.group_forms import (
    AssignForm,
    CountryAssignForm,
    GroupForm,
    MeetingRulesForm,
)
from matchmaker.permissions import get_event_or_404
from matchmaker.services import groups
from matchmaker.services.errors import DomainError
from matchmaker.webutil import flash_errors, local_path


def _group_or_404(event, group_id):
    group = db.session.get(ParticipantGroup, group_id)
    if group is None or group.event_id != event.id:
        abort(404)
    return group


def _back(event):
    return redirect(
        local_path(request.form.get("back")) or url_for("organizer.groups", slug=event.slug)
    )


def _page(event, form=None, status=200):
    listed = groups.groups_of(event)
    names = [group for group, _ in listed]
    return (
        render_template(
            "organizer/groups.html",
            event=event,
            groups=listed,
            form=form or GroupForm(formdata=None),
            rules_form=MeetingRulesForm(formdata=None).fill(names, groups.excluded_pairs(event)),
            country_form=CountryAssignForm(formdata=None).fill(names, groups.countries_of(event)),
            rename_form=GroupForm(formdata=None),
            action_form=ActionForm(),
            has_preset=groups.has_mission_preset(event),
        ),
        status,
    )


@bp.get("/<slug>/groups", endpoint="groups")
@login_required
def groups_page(slug):
    return _page(get_event_or_404(slug, manage=True))


@bp.post("/<slug>/groups")
@login_required
def add_group(slug):
    event = get_event_or_404(slug, manage=True)
    form = GroupForm()
    if not form.validate_on_submit():
        return _page(event, form=form, status=400)
    try:
        group = groups.create_group(event, form.name.data, by=current_user)
    except DomainError as error:
        form.name.errors.append(str(error))
        return _page(event, form=form, status=400)
    flash(
        _("Group “%(name)s” added. Tick who its members may meet below.", name=group.name),
        "success",
    )
    return redirect(url_for("organizer.groups", slug=slug))


@bp.post("/<slug>/groups/preset")
@login_required
def mission_preset(slug):
    event = get_event_or_404(slug, manage=True)
    if ActionForm().validate_on_submit():
        try:
            delegation, hosts = groups.apply_mission_preset(event, by=current_user)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            flash(
                _(
                    "Groups “%(delegation)s” and “%(hosts)s” are ready: each meets only the "
                    "other. Now put the participants in them.",
                    delegation=delegation.name,
                    hosts=hosts.name,
                ),
                "success",
            )
    return redirect(url_for("organizer.groups", slug=slug))


@bp.post("/<slug>/groups/rules")
@login_required
def meeting_rules(slug):
    event = get_event_or_404(slug, manage=True)
    names = [group for group, _ in groups.groups_of(event)]
    form = MeetingRulesForm().fill(names, groups.excluded_pairs(event))
    if not form.validate_on_submit():
        # Boxes come only from the page: one it did not offer means the groups changed.
        flash(_("The groups changed meanwhile; nothing was saved. Tick the boxes again."), "danger")
        return redirect(url_for("organizer.groups", slug=slug))
    try:
        groups.set_exclusions(event, form.pairs_apart(), by=current_user)
    except DomainError as error:
        flash(str(error), "danger")
    else:
        flash(
            _("Saved who may meet whom. Run matching again to find pairs newly allowed."), "success"
        )
    return redirect(url_for("organizer.groups", slug=slug))


@bp.post("/<slug>/groups/<int:group_id>")
@login_required
def rename_group(slug, group_id):
    event = get_event_or_404(slug, manage=True)
    group = _group_or_404(event, group_id)
    form = GroupForm()
    if form.validate_on_submit():
        try:
            groups.rename_group(group, form.name.data, by=current_user)
            flash(_("Group renamed to “%(name)s”.", name=group.name), "success")
        except DomainError as error:
            flash(str(error), "danger")
    else:
        flash_errors(form)
    return redirect(url_for("organizer.groups", slug=slug))


@bp.route("/<slug>/groups/<int:group_id>/delete", methods=["GET", "POST"])
@login_required
def delete_group(slug, group_id):
    event = get_event_or_404(slug, manage=True)
    group = _group_or_404(event, group_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        name = group.name
        members = groups.delete_group(group, by=current_user)
        flash(ngettext("Group “%(name)s” deleted; %(num)d participant is no longer in a group.",
                       "Group “%(name)s” deleted; %(num)d participants are no longer in a group.",
                       members, name=name), "info")  # fmt: skip
        return redirect(url_for("organizer.groups", slug=slug))
    members = dict(groups.groups_of(event)).get(group, 0)
    return render_template(
        "organizer/group_delete.html", event=event, group=group, members=members, form=form
    )


@bp.post("/<slug>/groups/by-country")
@login_required
def assign_country(slug):
    event = get_event_or_404(slug, manage=True)
    names = [group for group, _ in groups.groups_of(event)]
    form = CountryAssignForm().fill(names, groups.countries_of(event))
    if form.validate_on_submit():
        group = _group_or_404(event, form.group_id()) if form.group_id() else None
        moved = groups.assign_country(event, form.country.data, group, by=current_user)
        country = country_name(form.country.data)
        if group:
            message = ngettext("%(num)d participant from %(country)s is now in “%(group)s”.",
                               "%(num)d participants from %(country)s are now in “%(group)s”.",
                               moved, country=country, group=group.name)  # fmt: skip
        else:
            message = ngettext("%(num)d participant from %(country)s is now in no group.",
                               "%(num)d participants from %(country)s are now in no group.",
                               moved, country=country)  # fmt: skip
        flash(message, "success")
    else:
        flash_errors(form)
    return _back(event)


@bp.post("/<slug>/participants/<int:participant_id>/group")
@login_required
def assign_group(slug, participant_id):
    event = get_event_or_404(slug, manage=True)
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.event_id != event.id:
        abort(404)
    form = AssignForm().fill([group for group, _ in groups.groups_of(event)])
    if form.validate_on_submit():
        group = _group_or_404(event, form.group_id()) if form.group_id() else None
        groups.assign(participant, group, by=current_user)
        name = participant.organisation.name
        if group:
            flash(_("%(name)s is now in “%(group)s”.", name=name, group=group.name), "success")
        else:
            flash(_("%(name)s is now in no group.", name=name), "success")
    else:
        flash_errors(form)
    return _back(event)
