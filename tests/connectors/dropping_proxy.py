"""A TCP relay that cuts the connection in the middle of the server's answer to the N-th FETCH."""

from __future__ import annotations

import socket
import threading


class DroppingProxy:
    def __init__(self, target_port: int, drop_on_fetch: int, keep_bytes: int = 64) -> None:
        self.target_port = target_port
        self.drop_on_fetch = drop_on_fetch
        self.keep_bytes = keep_bytes
        self.fetches = 0
        self.dropped = False
        self._cutting = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._upstream, args=(client, server), daemon=True).start()
            threading.Thread(target=self._downstream, args=(server, client), daemon=True).start()

    def _upstream(self, client: socket.socket, server: socket.socket) -> None:
        while data := _recv(client):
            if b" FETCH " in data.upper():
                self.fetches += 1
                if self.fetches == self.drop_on_fetch:
                    self._cutting.set()
            try:
                server.sendall(data)
            except OSError:
                return

    def _downstream(self, server: socket.socket, client: socket.socket) -> None:
        while data := _recv(server):
            if self._cutting.is_set():
                client.sendall(data[: self.keep_bytes])
                self.dropped = True
                self._cutting.clear()
                for sock in (client, server):
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
                return
            try:
                client.sendall(data)
            except OSError:
                return

    def close(self) -> None:
        self._listener.close()


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""
