"""The test's own loopback server of hostile answers for URL uploads (nothing leaves the
machine): redirect loops, redirects to ``file://``, errors, HTML named ``.jpg``, a length
that lies, a gzip bomb."""

from __future__ import annotations

import functools
import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar


@functools.cache
def bomb() -> bytes:
    """64 MB of zeros, gzipped: made when a server first starts, not on import (0.6 CPU-s
    that every worker collecting the suite would pay)."""
    return gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


class Hostile(BaseHTTPRequestHandler):
    photo: ClassVar[bytes] = b""

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        route = {
            "/photo.jpg": lambda: self._send(200, self.photo, "image/jpeg"),
            "/redirect-loop.jpg": lambda: self._redirect("/redirect-loop.jpg"),
            "/redirect-file.jpg": lambda: self._redirect("file:///etc/passwd"),
            "/error.jpg": lambda: self._send(500, b"boom", "text/plain"),
            "/page.jpg": lambda: self._send(200, b"<html><body>hi</body></html>", "text/html"),
            "/notes.mp4": lambda: self._send(200, b"just some notes\n" * 100, "video/mp4"),
            "/length-lie.jpg": self._length_lie,
            "/bomb.jpg": lambda: self._send(
                200, bomb(), "image/jpeg", {"Content-Encoding": "gzip"}
            ),
        }.get(self.path.split("?")[0])
        if route is None:
            self._send(404, b"not here", "text/plain")
        else:
            route()

    def _send(
        self, status: int, body: bytes, kind: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _length_lie(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(10_000_000_000))
        self.end_headers()
        self.wfile.write(self.photo[:100])
        self.close_connection = True


@contextmanager
def hostile_server(photo: bytes) -> Iterator[str]:
    """The server's base URL while the block runs."""
    bomb()  # made before serving, not while a fetch with a deadline waits for it
    handler = type("HostileHandler", (Hostile,), {"photo": photo})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
