"""The translation catalogs as data: extract the marked messages, read each language's .po,
compile .mo files. Used by the tests (every catalog complete) and by the test run, which
compiles catalogs that are older than their .po (as `make install` does)."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "matchmaker" / "translations"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
METHODS = [
    ("matchmaker/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]


def marked_messages():
    """Every message id marked for translation in the code and templates (plural: the pair)."""
    found = set()
    for _path, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map={"**.html": {}, "**.txt": {}}
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def catalog(locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=locale)


def compile_stale():
    """Write the .mo of every catalog whose .po is newer; returns the locales compiled."""
    done = []
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with open(po, "rb") as handle:
            parsed = read_po(handle)
        with open(mo, "wb") as handle:
            write_mo(handle, parsed)
        done.append(po.parent.parent.name)
    return done
