"""Flask commands: `flask --app matchmaker create-user` and `demo`. They call the same
services as the views."""

import click

from matchmaker.models import ROLES
from matchmaker.services import accounts, demo
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
        user = accounts.create_user(email, name or email.split("@")[0], password, role=role)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role} {user.email}.")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Load only into a database that has no account yet.")
def demo_command(if_empty):
    """Load the demo brokerage event (safe to run again: nothing is duplicated)."""
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
    click.echo(report.summary())
    click.echo(f"Event page: /events/{report.slug}")
    click.echo(f"Demo logins (password: {report.password}):")
    for role, email in report.logins:
        click.echo(f"  {role:<12} {email}")


def init_app(app):
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_command)
