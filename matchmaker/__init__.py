"""Matchmaker: an open platform for B2B brokerage events.

`create_app` imports Flask lazily, so that the pure cores (`matchmaker.matching`,
`matchmaker.scheduling`) and their command-line tools load without the web stack.
"""


def create_app(test_config=None):
    """Build the Flask application (see `matchmaker.app.build_app`)."""
    from matchmaker.app import build_app

    return build_app(test_config)
