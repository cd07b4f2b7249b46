"""A TCP proxy on loopback that a test steers, to cut HTTP/1.1 connections at chosen moments.

Each new connection takes the next :class:`Cut` from the plan (none left: bytes pass through). The
proxy follows request framing (head, then ``Content-Length`` bytes) in both directions, so a cut
names the request it hits on that keep-alive connection:

- ``request``: forward the first ``at`` fraction of the nth request, then cut. The hub never sees
  the whole request (waitress hands a request to the app only once its body is complete).
- ``response``: forward the nth request whole, wait for the hub's answer, forward the first ``at``
  fraction of it, then cut. The hub has done the work (it answers after its commit); the client
  never learns the outcome.
- ``stall``: forward the nth request, swallow the answer and hold the connection open until the
  client gives up (its timeout).

A cut closes both sides, with a TCP reset (``reset=True``) or a plain FIN. Every connection is
logged as a :class:`Record` (what was cut, which request, how many answer bytes were lost).
"""

from __future__ import annotations

import select
import socket
import struct
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

MODES = ("request", "response", "stall")


@dataclass(frozen=True)
class Cut:
    """Cut a connection in ``mode`` at its ``nth`` request (1-based), after ``at`` of it."""

    mode: str
    nth: int = 1
    at: float = 0.5
    reset: bool = False

    def __post_init__(self) -> None:
        assert self.mode in MODES and self.nth >= 1 and 0 <= self.at < 1, self


@dataclass
class Record:
    """What happened on one proxied connection."""

    cut: Cut | None
    requests: list[str] = field(default_factory=list)  # request lines seen, in order
    fired: bool = False  # the cut happened
    target: str = ""  # the request line the cut hit
    answer_bytes: int = 0  # bytes of the cut answer received from the hub
    answer_forwarded: int = 0  # of which the client got


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


class _Framer:
    """Splits one direction of an HTTP/1.1 stream into messages (head + Content-Length body)."""

    def __init__(self, answers: bool = False) -> None:
        self.buffer = b""
        self.left = 0  # body bytes of the current message still to come
        self.answers = answers
        self.no_body_next = False

    def messages(self, data: bytes) -> Iterable[tuple[bytes | None, bytes]]:
        """Yield (head of a new message or None, bytes of it) for the data received."""
        self.buffer += data
        while self.buffer:
            if self.left:
                chunk, self.buffer = self.buffer[:self.left], self.buffer[self.left:]
                self.left -= len(chunk)
                yield None, chunk
                continue
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return  # wait for the rest of the head
            head, self.buffer = self.buffer[:end + 4], self.buffer[end + 4:]
            status = head.split(b" ", 2)[1] if self.answers else b""
            self.left = 0 if status in (b"204", b"304") else _content_length(head)
            yield head, head


class Proxy:
    """Listen on 127.0.0.1 and forward to ``upstream_port``, cutting as planned."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.plan: deque[Cut] = deque()
        self.records: list[Record] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cut(self, *cuts: Cut) -> None:
        """Add cuts to the plan, one per new connection, in order."""
        with self._lock:
            self.plan.extend(cuts)

    def fired(self, mode: str | None = None) -> list[Record]:
        """Connections whose cut happened (of one mode, or any)."""
        with self._lock:
            return [r for r in self.records if r.fired and (mode is None or r.cut.mode == mode)]

    def close(self) -> None:
        """Stop accepting; open connections end when either side closes."""
        self._stopping.set()
        self._thread.join(5)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                record = Record(self.plan.popleft() if self.plan else None)
                self.records.append(record)
            threading.Thread(target=self._serve, args=(client, record), daemon=True).start()

    def _serve(self, client: socket.socket, record: Record) -> None:
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            client.close()  # the hub is down: the client sees a refused/closed connection
            return
        _Link(client, upstream, record, self._lock, self._stopping).run()


class _Link:
    """One client connection and its upstream twin, pumped by one select loop."""

    def __init__(self, client: socket.socket, upstream: socket.socket, record: Record,
                 lock: threading.Lock, stopping: threading.Event) -> None:
        self.client, self.upstream, self.record = client, upstream, record
        self.cut = record.cut
        self.lock, self.stopping = lock, stopping
        self.up, self.down = _Framer(), _Framer(answers=True)
        self.sent = 0  # requests forwarded whole
        self.cut_at: int | None = None  # bytes of the current message to let through
        self.passed = 0  # bytes of the current (cut) message let through
        self.open = True

    def run(self) -> None:
        try:
            while self.open and not self.stopping.is_set():
                ready, _w, _x = select.select([self.client, self.upstream], [], [], 0.2)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        self.open = False
                        break
                    if sock is self.client:
                        self._from_client(data)
                    else:
                        self._from_upstream(data)
                    if not self.open:
                        break
        except OSError:
            pass
        finally:
            self._close()

    def _targets(self, mode: str, number: int) -> bool:
        return (self.cut is not None and not self.record.fired and self.cut.mode == mode
                and number == self.cut.nth)

    def _from_client(self, data: bytes) -> None:
        for head, chunk in self.up.messages(data):
            if head is not None:
                number = len(self.record.requests) + 1
                with self.lock:
                    self.record.requests.append(head.split(b"\r\n", 1)[0].decode("latin-1"))
                if self._targets("request", number):
                    total = len(head) + self.up.left
                    self.cut_at = max(1, int(total * self.cut.at))  # type: ignore[union-attr]
                    self.passed = 0
            if self.cut_at is not None and self.cut.mode == "request":  # type: ignore[union-attr]
                let = chunk[:self.cut_at - self.passed]
                self.upstream.sendall(let)
                self.passed += len(let)
                if self.passed >= self.cut_at:
                    self._fire()
                    return
                continue
            if self.up.left == 0:
                self.sent += 1  # counted before the last byte goes: the answer may be quick
            self.upstream.sendall(chunk)

    def _from_upstream(self, data: bytes) -> None:
        for head, chunk in self.down.messages(data):
            answering = self.sent  # this answer is to the last request forwarded whole
            if head is not None and self.cut_at is None and (
                    self._targets("response", answering) or self._targets("stall", answering)):
                total = len(head) + self.down.left
                self.cut_at = int(total * self.cut.at) if self.cut.mode == "response" else 0
                self.passed = 0
                with self.lock:
                    self.record.target = self.record.requests[answering - 1]
                    self.record.fired = self.cut.mode == "stall"  # the answer is held from now
            if self.cut_at is None:
                self.client.sendall(chunk)
                continue
            with self.lock:
                self.record.answer_bytes += len(chunk)
            let = chunk[:max(0, self.cut_at - self.passed)]
            if let:
                self.client.sendall(let)
                self.passed += len(let)
                with self.lock:
                    self.record.answer_forwarded += len(let)
            if self.cut.mode == "response" and self.passed >= self.cut_at:  # type: ignore[union-attr]
                self._fire()
                return
            # a stall swallows the rest and waits for the client to give up

    def _fire(self) -> None:
        with self.lock:
            self.record.fired = True
            if not self.record.target:
                self.record.target = self.record.requests[-1]
        self.open = False

    def _close(self) -> None:
        for sock in (self.client, self.upstream):
            try:
                if self.record.fired and self.cut is not None and self.cut.reset:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.close()
            except OSError:
                pass


class Blackhole:
    """A plain TCP relay (any protocol, e.g. PostgreSQL's) that can black-hole its traffic.

    While ``hold()`` is in force nothing passes in either direction and new connections are
    accepted but never joined to the upstream, as when a network path silently drops packets
    (no reset, no FIN): only the client's own timeouts can end its waits. ``release()`` lets
    bytes flow again (and joins new connections); connections the client gave up on stay dead.
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.flowing = threading.Event()
        self.flowing.set()
        self._stopping = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def hold(self) -> None:
        """Stop every byte, both ways, on old and new connections."""
        self.flowing.clear()

    def release(self) -> None:
        """Let bytes flow again."""
        self.flowing.set()

    def close(self) -> None:
        """Stop accepting and close every relayed connection."""
        self._stopping.set()
        self.flowing.set()
        self._thread.join(5)
        self._listener.close()
        with self._lock:
            for sock in self._socks:
                try:
                    sock.close()
                except OSError:
                    pass

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._socks.append(client)
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        while not self.flowing.wait(0.2):  # a new connection while held: accepted, then silence
            if self._stopping.is_set():
                return
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            client.close()
            return
        with self._lock:
            self._socks.append(upstream)
        pair = {client: upstream, upstream: client}
        try:
            while not self._stopping.is_set():
                if not self.flowing.wait(0.2):
                    continue  # held: read nothing, so nothing passes and the kernel buffers fill
                ready, _w, _x = select.select(list(pair), [], [], 0.2)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    pair[sock].sendall(data)
        except OSError:
            return
        finally:
            for sock in pair:
                try:
                    sock.close()
                except OSError:
                    pass
