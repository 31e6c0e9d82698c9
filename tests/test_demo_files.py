"""The demo's data files: shipped with the package, parsed by the reader, refused with a message
naming the file when malformed; the network's and the mission's content (pure, no Flask)."""

import re
import shutil
from datetime import date, timedelta
from importlib import resources

import pytest

from matchmaker import demo_data
from matchmaker.demo_data import FILES, DemoDataError, read

RESERVED = re.compile(r"^[a-z0-9._-]+@[a-z0-9.-]+\.(example|test)$")


@pytest.fixture
def folder(tmp_path):
    """A copy of the packaged files to break."""
    for name in FILES:
        shutil.copy(resources.files(demo_data).joinpath(name), tmp_path / name)
    return tmp_path


def test_every_data_file_is_shipped_in_the_package_and_parses():
    shipped = {p.name for p in resources.files(demo_data).iterdir() if p.name.endswith(".toml")}
    assert shipped == set(FILES)
    content = read()
    assert len(content.ORGANISATIONS) == 93
    assert content.EVENT["slug"] == "bbs-ict-brokerage-2027"


def test_a_file_that_is_not_toml_is_refused_naming_it_and_its_line(folder):
    path = folder / "organisations.toml"
    path.write_text(path.read_text().replace('name = "Vitosha Soft Labs"', "name Vitosha"))
    with pytest.raises(DemoDataError) as caught:
        read(folder)
    message = str(caught.value)
    assert message.startswith("Demo data file organisations.toml is not valid TOML")
    assert re.search(r"line \d+", message)


def test_an_entry_missing_a_field_is_refused_naming_the_file_and_the_entry(folder):
    path = folder / "organisations.toml"
    text = path.read_text()
    path.write_text(
        text.replace(
            'country = "BG"\ncity = "Sofia"\ntype = "sme"', 'city = "Sofia"\ntype = "sme"', 1
        )
    )
    with pytest.raises(DemoDataError) as caught:
        read(folder)
    assert str(caught.value) == (
        "Demo data file organisations.toml: [[organisations]] entry 2 (Vitosha Soft Labs) "
        "has no 'country'."
    )


def test_a_missing_file_and_a_dangling_name_are_refused(folder):
    path = folder / "network.toml"
    path.write_text(path.read_text().replace('member = "Sofia ICT Cluster"', 'member = "Nobody"'))
    with pytest.raises(DemoDataError, match=r"^Demo data file network.toml: chair 'Nobody' is not"):
        read(folder)
    (folder / "mission.toml").unlink()
    with pytest.raises(DemoDataError, match="Demo data file mission.toml is missing"):
        read(folder)


def _emails(value):
    """Every address anywhere in the demo content."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _emails(item)
    elif isinstance(value, list):
        for item in value:
            yield from _emails(item)
    elif isinstance(value, str) and "@" in value and " " not in value:
        yield value


def test_no_email_outside_the_reserved_domains():
    content = read()
    emails = list(_emails(vars(content)))
    assert len(emails) > 150  # people, requests, logins, contacts, staff, admins
    assert [e for e in emails if not RESERVED.match(e)] == []


def test_network_has_17_members_one_per_country_and_a_yearly_rotation():
    network = demo_data.NETWORK
    members = network["members"]
    countries = {
        o["name"]: o["country"] for o in demo_data.ORGANISATIONS + network["organisations"]
    }
    assert len(members) == 17
    assert len({countries[m["organisation"]] for m in members}) == 17
    chairs = network["chairs"]
    assert len(chairs) == 3 and "ends" not in chairs[-1]  # the last term is the current one
    for earlier, later in zip(chairs, chairs[1:], strict=False):
        ends = date.fromisoformat(earlier["ends"])
        assert date.fromisoformat(later["starts"]) == ends + timedelta(days=1)
        assert 360 <= (ends - date.fromisoformat(earlier["starts"])).days <= 366
    staffed = {s["member"] for s in network["staff"]}
    assert 2 <= len(staffed) <= 3


def test_mission_delegation_comes_from_one_country_and_hosts_from_another():
    mission = demo_data.MISSION
    countries = {
        o["name"]: o["country"] for o in demo_data.ORGANISATIONS + mission["organisations"]
    }
    sides = {g["name"]: {countries[name] for name in g["organisations"]} for g in mission["groups"]}
    assert sides == {"Delegation": {"RO"}, "Hosts": {"GR"}}
    assert all(10 <= len(g["organisations"]) <= 14 for g in mission["groups"])
    assert mission["pairs"]["exclusions"] == [["Delegation", "Delegation"], ["Hosts", "Hosts"]]


def test_a_word_outside_a_columns_choices_is_refused_naming_the_file(folder):
    path = folder / "network.toml"
    path.write_text(path.read_text().replace('kind = "chamber"', 'kind = "guild"'))
    with pytest.raises(DemoDataError) as caught:
        read(folder)
    assert str(caught.value) == (
        "Demo data file network.toml: the kind of Black Sea Chamber of Commerce Trabzon - "
        "Digital Desk is 'guild', not one of cluster, chamber, agency, association, other."
    )


def test_a_request_from_someone_unknown_is_refused_naming_the_file(folder):
    path = folder / "requests.toml"
    path.write_text(path.read_text().replace("ion.dumitrescu@agrovest", "ion.d@agrovest", 1))
    with pytest.raises(DemoDataError) as caught:
        read(folder)
    assert str(caught.value) == (
        "Demo data file requests.toml: 'ion.d@agrovest.example' is not a person of "
        "organisations.toml."
    )
