"""The sandbox's HTTP plumbing: a threading server that only moves bytes.

Each request's method, target, headers and body go to `OzonSandbox.handle`,
whose `Reply` is written back. Keep-alive connections are tracked so that
`stop()` can drop idle ones and free the port at once.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from ozonprice.sandbox.routing import Reply, encode, invalid_argument

if TYPE_CHECKING:
    from ozonprice.sandbox.server import OzonSandbox


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sandbox: OzonSandbox

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self.connections_opened = 0
        super().__init__(*args, **kwargs)

    def track(self, connection: socket.socket, open_: bool) -> None:
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
                self.connections_opened += 1
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        """Drop idle keep-alive connections, so their threads end with the sandbox."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class RequestHandler(BaseHTTPRequestHandler):
    # Keep-alive, so a client session reuses its connection for ~400 calls.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without this, Nagle's algorithm and
    # delayed ACKs stall every keep-alive answer by ~40 ms.
    disable_nagle_algorithm = True
    # An idle keep-alive connection is closed after this many seconds.
    timeout = 120
    server: SandboxServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def _serve(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            # The body's end is unknown, so this connection cannot carry another request.
            self.close_connection = True
            error = invalid_argument("invalid Content-Length")
            reply = Reply(error.status, encode(error.body()))
        else:
            raw = self.rfile.read(length) if length else b""
            # An HTTPMessage, not a Mapping: its .get() is Mapping's, and case-insensitive as HTTP headers are.
            reply = self.server.sandbox.handle(self.command, self.path, self.headers, raw)  # type: ignore[arg-type]
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:
            # The client is gone (it timed out waiting for a late answer, or the sandbox stopped).
            self.close_connection = True

    do_POST = do_GET = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if self.server.sandbox.verbose:
            super().log_message(format, *args)
