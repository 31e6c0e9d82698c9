from matchmaker.services import eventday
from matchmaker.webutil import external_url


def pass_qr(participant, scale=4):
    """The QR code (inline SVG) of a participant's check-in pass. It holds the desk's scan
    link, so a phone's own camera app opens the right page too (staff only: anyone else
    gets 404), and the desk's scanner reads the code out of it."""
    link = external_url(
        "eventday.scan", slug=participant.event.slug, code=eventday.pass_code(participant)
    )
    return eventday.qr_svg(link, scale=scale)
