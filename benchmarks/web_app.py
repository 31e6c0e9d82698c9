"""The app the web benchmark serves: the production app (`wsgi.py`) plus one bare page.

`GET /_floor` answers a few bytes of text through the whole Flask stack (routing, session
interface, the after-request security headers) but touches no template and no database: the
floor that the real pages' throughput is compared with. It exists only in this module, never
in the production app.
"""

from matchmaker import create_app

app = create_app()


@app.get("/_floor")
def floor():
    return "ok"
