"""Hostile values for the hostile-input tests: strategies and the shared hypothesis settings.

The settings are derandomized and keep no example database, so a CI run is reproducible and
the same on every machine; budgets are small so the whole package runs in about a minute.
"""

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

HOSTILE = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
# For the web tests, where each example costs a request or two: no shrinking (a failure is
# reported as drawn, and derandomize makes it the same on every run).
HOSTILE_WEB = settings(HOSTILE, max_examples=8, phases=[Phase.explicit, Phase.generate])

SCRIPT = "<script>alert('xss')</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
MARKUP = (SCRIPT, ATTRIBUTE, "<svg onload=alert(1)>", "javascript:alert(1)", "{{ 7*7 }}")
SQL = (
    "'; DROP TABLE users; --",
    "Robert'); DROP TABLE participants;--",
    "1 OR 1=1",
    "' UNION SELECT password_hash FROM users --",
    "%' AND 1=1 --",
    "\\",
)
UNICODE = (
    "\u202eevil\u202c",  # right-to-left override
    "zero\u200bwidth\u200d",
    "e\u0301\u0301\u0301",  # combining accents
    "👩‍👩‍👧‍👦 🇷🇴",
    "Ωμέγα Ünïcödé Łódź Șțăî",
    "\ufeffBOM",
    "\uffff",
)
CONTROL = ("a\x00b", "\x00", "bell\x07", "esc\x1b[31m", "back\x08space", "del\x7f", "\x0c\x0b")
# What a one-line field refuses besides CONTROL (a multi-line one keeps them): a header
# injection in an email Subject, a plain and a Unicode line break, a tab.
LINE_BREAKS = ("AgroVest\r\nBcc: all@example.com", "two\nlines", "line\u2028sep", "tab\there")
# Characters a person never types into a text field: they break exports (XML) and PostgreSQL.
CONTROL_CHARACTERS = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r") | {"\x7f"}


def is_clean(text):
    """True when `text` holds no control character a text field refuses."""
    return not (set(text) & CONTROL_CHARACTERS)


def oversized(limit):
    """Text longer than `limit` characters (one to fifty more), from a repeated piece."""
    return st.builds(
        lambda piece, extra: (piece * (limit + extra))[: limit + extra],
        st.text(min_size=1, max_size=3).filter(str.strip),
        st.integers(1, 50),
    )


def at_limit(limit):
    """Text of exactly `limit` characters, wide characters included: stored, never cut."""
    return st.builds(
        lambda piece: (piece * limit)[:limit],
        st.sampled_from(["é", "😀", "ș", "x", "<", "'", "e\u0301"]),
    )


def hostile_text(limit=200):
    """Any text a hostile or careless user might send in a field of at most `limit` chars."""
    return st.one_of(
        st.sampled_from(MARKUP + SQL + UNICODE + CONTROL + LINE_BREAKS),
        oversized(limit),
        at_limit(limit),
        st.text(max_size=min(limit, 40)),
        st.builds(lambda a, b: f"{a} {b}", st.sampled_from(MARKUP), st.sampled_from(SQL)),
        st.just(""),
        st.just("   "),
    )


def hostile_number(low=None, high=None):
    """Numbers as a form sends them: out of range, negative, huge, not numbers at all."""
    edges = ["-1", "0", "1e309", "NaN", "inf", "-inf", "99999999999999999999999", "1.5", "0x10"]
    if low is not None:
        edges += [str(low - 1), str(low)]
    if high is not None:
        edges += [str(high), str(high + 1)]
    return st.one_of(
        st.sampled_from(edges + ["", " ", "abc", "١٢", "1,000", "--1", "1; DROP TABLE x"]),
        st.integers(-(2**70), 2**70).map(str),
        st.sampled_from(MARKUP + SQL + CONTROL),
    )


def hostile_date():
    return st.sampled_from(
        [
            "2027-02-30",
            "2027-13-01",
            "0000-00-00",
            "9999-12-31",
            "1-1-1",
            "2027/05/18",
            "18.05.2027",
            "tomorrow",
            "",
            "2027-05-18T25:00",
            "-2027-05-18",
            "2027-05-18\x00",
            SCRIPT,
            SQL[0],
            "10000-01-01",
        ]  # fmt: skip
    )


def hostile_time():
    return st.sampled_from(
        [
            "25:00",
            "12:60",
            "-1:00",
            "9",
            "noon",
            "",
            "24:00",
            "09:00:00.000000001",
            "23:59",
            "00:00",
            "12:00\x00",
            SCRIPT,
            SQL[0],
        ]  # fmt: skip
    )


def hostile_datetime():
    return st.sampled_from(
        [
            "2027-02-30T10:00",
            "2027-05-18T24:00",
            "2027-05-18 10:00",
            "9999-12-31T23:59",
            "0001-01-01T00:00",
            "yesterday",
            "",
            SCRIPT,
            "2027-05-18T10:00\x00",
        ]  # fmt: skip
    )


def hostile_choice(valid):
    """A select's value: a valid one, or one outside the list (an edited page)."""
    valid = [str(value) for value in valid]
    strategies = [st.sampled_from(MARKUP + SQL + CONTROL + ("", "None", "-1", "0"))]
    if valid:
        strategies.insert(0, st.sampled_from(valid))
    return st.one_of(*strategies)


def hostile_id(valid=()):
    """An object id in a form: someone else's, missing, negative, huge or not a number."""
    return st.one_of(
        st.sampled_from([str(v) for v in valid] or ["1"]),
        hostile_number(),
    )
