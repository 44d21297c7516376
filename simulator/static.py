"""Serve a built dist/ over HTTP with its ``_headers`` applied, as Cloudflare would.

Used by ``make serve`` and the e2e tests so that the CSP and caching rules are exercised
locally. (``python -m http.server -d dist`` also works; it just ignores ``_headers``.)
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def parse_headers_file(text: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Cloudflare ``_headers``: a path pattern line, then indented ``Name: value`` lines;
    ``! Name`` detaches a header an earlier rule set (value None here)."""
    rules: list[tuple[str, list[tuple[str, str | None]]]] = []
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if not raw[0].isspace():
            rules.append((raw.strip(), []))
        elif rules and raw.strip().startswith("!"):
            rules[-1][1].append((raw.strip()[1:].strip(), None))
        elif rules and ":" in raw:
            name, value = raw.strip().split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def pattern_matches(pattern: str, path: str) -> bool:
    if pattern.endswith("*"):
        return path.startswith(pattern[:-1])
    return path == pattern


def headers_for(rules, path: str) -> dict[str, str]:
    """As Cloudflare does: matching rules add up, a repeated name is joined with ", ",
    and ``! Name`` removes what earlier rules set."""
    result: dict[str, str] = {}
    for pattern, headers in rules:
        if pattern_matches(pattern, path):
            for name, value in headers:
                if value is None:
                    result.pop(name, None)
                elif name in result:
                    result[name] = f"{result[name]}, {value}"
                else:
                    result[name] = value
    return result


class _Handler(SimpleHTTPRequestHandler):
    rules: list = []

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        for name, value in headers_for(self.rules, path).items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.exists():
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *_args) -> None:
        pass


_Handler.extensions_map = {
    **SimpleHTTPRequestHandler.extensions_map,
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".zip": "application/zip",
    ".py": "text/plain",
}


def start_static_server(directory: Path, host: str = "127.0.0.1", port: int = 8000):
    """Start in a daemon thread; returns the server (``server.server_port``, ``shutdown()``)."""
    headers_file = Path(directory) / "_headers"
    handler = type(
        "DistHandler",
        (_Handler,),
        {"rules": parse_headers_file(headers_file.read_text()) if headers_file.exists() else []},
    )
    server = ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
