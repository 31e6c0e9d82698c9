import pytest

from matchmaker import create_app
from matchmaker.config import ConfigurationError, normalise_database_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_url_normalised_to_psycopg3(url, expected):
    assert normalise_database_url(url) == expected


@pytest.fixture
def instance(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(tmp_path))
    for name in ("SECRET_KEY", "DATABASE_URL", "MATCHMAKER_DEV", "FLASK_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_production_without_secret_key_stops_with_clear_message(instance):
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        create_app()


def test_development_secret_key_is_generated_once(instance, monkeypatch):
    monkeypatch.setenv("MATCHMAKER_DEV", "1")
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second
    assert len(first) == 64
    assert (instance / "secret_key").read_text() == first


def test_default_database_is_sqlite_in_instance_folder(instance, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance}/matchmaker.sqlite3"


def test_layers_apply_in_order_instance_then_environment_then_tests(instance, monkeypatch):
    (instance / "config.py").write_text(
        "SECRET_KEY = 'from-file'\nPAGE_SIZE = 7\nMAIL_PORT = 2525\n"
    )
    assert create_app().config["SECRET_KEY"] == "from-file"
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", "postgres://db.local/mm")
    monkeypatch.setenv("MAIL_PORT", "587")
    app = create_app({"PAGE_SIZE": 3})
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db.local/mm"
    assert app.config["MAIL_PORT"] == 587
    assert app.config["PAGE_SIZE"] == 3
