from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField

from matchmaker.services.imports import MAX_FILE_BYTES, MAX_ROWS
from matchmaker.webutil import SafeForm


class ImportForm(SafeForm):
    file = FileField(
        "Participants file",
        validators=[
            FileRequired("Choose a .csv or .xlsx file to import."),
            FileAllowed(["csv", "xlsx"], "Upload a .csv or .xlsx file."),
        ],
        description=(
            f"CSV (UTF-8, comma or semicolon) or Excel .xlsx; at most "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB and {MAX_ROWS:,} participants."
        ),
    )
    submit = SubmitField("Check and import")
