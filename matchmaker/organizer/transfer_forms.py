from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField

from matchmaker.services.imports import MAX_FILE_BYTES, MAX_ROWS
from matchmaker.webutil import SafeForm


class ImportForm(SafeForm):
    file = FileField(
        _l("Participants file"),
        validators=[
            FileRequired(_l("Choose a .csv or .xlsx file to import.")),
            FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
        ],
        description=_l(
            "CSV (UTF-8, comma or semicolon) or Excel .xlsx; at most %(mib)s MiB and %(rows)s "
            "participants.",
            mib=MAX_FILE_BYTES // (1024 * 1024),
            rows=f"{MAX_ROWS:,}",
        ),
    )
    submit = SubmitField(_l("Check and import"))
