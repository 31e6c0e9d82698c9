"""Small helpers shared by the views."""

from urllib.parse import urlsplit

from wtforms.fields.choices import SelectChoice


def local_path(target):
    """`target` if it is a path on this site, else None: an absolute or scheme-relative URL
    in a `next` or `back` parameter could send users to another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def options(pairs):
    """(value, label) pairs as WTForms SelectChoices (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(str(value), label) for value, label in pairs]
