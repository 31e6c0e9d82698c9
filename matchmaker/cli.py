"""Flask commands: `flask --app matchmaker create-user` and `demo`. They call the same
services as the views."""

import time

import click
import sqlalchemy as sa

from matchmaker.demo_data import DemoDataError
from matchmaker.extensions import db
from matchmaker.models import ROLES, Event
from matchmaker.services import accounts, demo, matchmaking, schedules
from matchmaker.services.errors import DomainError
from matchmaker.services.queries import user_count


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="participant", show_default=True)
@click.option("--name", default=None, help="Display name (default: the part before the @).")
@click.password_option(help="Asked for at the prompt when not given.")
def create_user_command(email, role, name, password):
    """Create an account with EMAIL and the given role."""
    try:
        user = accounts.create_user(
            email, name or email.split("@")[0], password, role=role, verified=True
        )
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role} {user.email}.")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Load only into a database that has no account yet.")
def demo_command(if_empty):
    """Load the demo brokerage events, their network and its economic mission (safe to run
    again: nothing is duplicated)."""
    try:
        if if_empty and user_count() > 0:
            report = demo.demo_report()
            if report is None:
                click.echo("The database already has data; the demo event was not loaded.")
                return
        else:
            with click.progressbar(length=100, label="Loading the demo event") as bar:
                report = demo.load_demo(
                    progress=lambda done, total: bar.update(done * 100 // total - bar.pos)
                )
            if report.created:
                # Suggestions on first run: participants see their matches right away.
                event = db.session.scalar(sa.select(Event).where(Event.slug == report.slug))
                pairs = matchmaking.compute_matches(event)
                click.echo(f"Matched the demo participants: {pairs} pairs.")
            # Last year's edition, finished: statistics and feedback show real shapes.
            click.echo(demo.load_past_edition().summary())
            click.echo(demo.load_mission().summary())
    except DemoDataError as error:
        raise click.ClickException(str(error)) from error
    click.echo(report.summary())
    click.echo(f"Event page: /events/{report.slug}")
    click.echo(f"Demo logins (password: {report.password}):")
    for role, email in report.logins:
        click.echo(f"  {role:<14} {email}")
    for role, email, of in report.network_logins:
        click.echo(f"  {role:<14} {email}  ({of})")


@click.command("match")
@click.argument("slug")
@click.option(
    "--top",
    default=matchmaking.DEFAULT_TOP_K,
    show_default=True,
    help="Matches kept per participant.",
)
def match_command(slug, top):
    """Compute and store the matches of the event with this SLUG."""
    event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
    if event is None:
        raise click.ClickException(f"No event with the address {slug!r}.")
    started = time.perf_counter()
    with click.progressbar(length=1, label="Ranking participants") as bar:

        def progress(done, total):
            bar.length = total
            bar.update(done - bar.pos)

        pairs = matchmaking.compute_matches(event, top_k=top, progress=progress)
    click.echo(f"Stored {pairs} pairs in {time.perf_counter() - started:.1f} s.")


@click.command("schedule")
@click.argument("slug")
@click.option("--publish", is_flag=True, help="Publish the new version right away.")
@click.option("--time-limit", default=20.0, show_default=True, help="Seconds for the optimiser.")
@click.option("--min-meetings", default=0, show_default=True)
@click.option("--no-suggestions", is_flag=True, help="Do not fill free slots with suggestions.")
def schedule_command(slug, publish, time_limit, min_meetings, no_suggestions):
    """Generate a draft agenda for the event with this SLUG (and optionally publish it)."""
    event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
    if event is None:
        raise click.ClickException(f"No event with the address {slug!r}.")
    with click.progressbar(length=100, label="Optimising") as bar:
        try:
            draft = schedules.generate(
                event, min_meetings=min_meetings, include_suggestions=not no_suggestions,
                time_limit=time_limit,
                progress=lambda stage, fraction: bar.update(int(fraction * 100) - bar.pos),
            )  # fmt: skip
        except DomainError as error:
            raise click.ClickException(str(error)) from error
    figures = draft.figures
    click.echo(
        f"Version {draft.version}: {len(draft.meetings)} meetings; placed per class "
        f"{figures['placed']}; objective {figures['objective']:.1f} of bound "
        f"{figures['bound']:.1f} (gap {100 * figures['gap']:.2f}%); "
        f"{figures['breaks_total']} breaks{_break_bound(figures)}; "
        f"{len(figures['unplaced'])} candidates not placed."
    )
    for line in schedules.outcome(draft):
        click.echo(f"Warning: {line}", err=True)
    if publish:
        organizer = event.organizers[0] if event.organizers else None
        if organizer is None:
            raise click.ClickException("The event has no organizer to publish it.")
        told = schedules.publish(draft, by=organizer)
        click.echo(f"Published; {told} participants emailed.")


def _break_bound(figures: dict) -> str:
    """' (fewest possible)' or ' (at least N unavoidable)' when the optimiser proved it."""
    if figures.get("breaks_optimal"):
        return " (fewest possible)"
    if figures.get("breaks_bound") is not None:
        return f" (at least {figures['breaks_bound']} unavoidable)"
    return ""


@click.command("feedback-remind")
@click.argument("slug")
def feedback_remind_command(slug):
    """Remind the participants of the event with this SLUG who still owe feedback in the
    current round (for a cron job)."""
    from matchmaker.services import feedback

    event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
    if event is None:
        raise click.ClickException(f"No event with the address {slug!r}.")
    if not event.organizers:
        raise click.ClickException("The event has no organizer to send the reminders.")
    try:
        sent = feedback.send_reminders(event, by=event.organizers[0])
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Reminders sent to {sent} participants.")


@click.group("mail")
def mail_group():
    """The outgoing mail queue."""


@mail_group.command("send")
def mail_send_command():
    """Send the queued emails that are due: those whose first delivery failed, tried again
    with a growing delay (for a cron job, every minute)."""
    from matchmaker.services import mail

    click.echo(mail.deliver_due().summary())


@click.group("inbox")
def inbox_group():
    """Messages and what waits in people's inboxes."""


@inbox_group.command("digest")
def inbox_digest_command():
    """Mail each person who chose the daily digest what came since their last one (for a
    cron job, once a day)."""
    from matchmaker.services import inbox

    sent = inbox.send_digests()
    click.echo(f"Digests sent: {sent}.")


@click.group("network")
def network_group():
    """Networks of clusters and chambers (issue 23)."""


@network_group.command("create")
@click.argument("name")
@click.option("--slug", default="", help="Web address under /networks/ (default: from NAME).")
@click.option("--admin", "admins", multiple=True, help="Email of a first administrator.")
@click.option("--description", default="")
def network_create_command(name, slug, admins, description):
    """Create the network NAME, with its first administrators."""
    from matchmaker.services import networks

    try:
        network = networks.create_network(
            name, slug, by=None, description=description, admin_emails=admins
        )
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created network {network.name}: /networks/{network.slug}")


def init_app(app):
    for command in (create_user_command, demo_command, match_command, schedule_command):
        app.cli.add_command(command)
    app.cli.add_command(feedback_remind_command)
    app.cli.add_command(mail_group)
    app.cli.add_command(inbox_group)
    app.cli.add_command(network_group)
    from matchmaker.worker import scheduled_command

    app.cli.add_command(scheduled_command)
