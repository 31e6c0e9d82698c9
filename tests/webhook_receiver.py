"""A local webhook receiver for tests: an http.server on 127.0.0.1 (port 0) in a thread that
records each request and answers as told, and the signature check of docs/webhooks.md."""

import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "webhooks.md"


def documented_verify():
    """The `verify` function exactly as docs/webhooks.md prints it."""
    code = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S).group(1)
    namespace = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace["verify"]


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


@dataclass
class Receiver:
    """`answers`: what to answer next, in order (a status code, or ("slow", seconds) to wait
    before answering 200); once used up, 200."""

    url: str = ""
    answers: list = field(default_factory=list)
    received: list = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)


def start_receiver():
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            receiver.received.append(Received(self.path, dict(self.headers), body))
            answer = receiver.answers.pop(0) if receiver.answers else 200
            if isinstance(answer, tuple):
                time.sleep(answer[1])
                answer = 200
            text = b"ok" if answer < 300 else b"Internal trouble: database locked"
            try:
                self.send_response(answer)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)
            except OSError:
                pass  # the sender gave up waiting
            receiver.arrived.set()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/matchmaker"
    return server, receiver
