"""The fault tests' TCP proxy cuts where it is told to, and only there."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.sync.tcpproxy import Cut, Proxy


class Counting(BaseHTTPRequestHandler):
    """Keep-alive HTTP/1.1: counts the requests it handled whole, answers with a 4 KB body."""

    protocol_version = "HTTP/1.1"
    handled: list[bytes] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.handled.append(body)
        out = b"x" * 4096
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    server.daemon_threads = True
    Counting.handled = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    through = Proxy(server.server_address[1])
    yield through
    through.close()
    server.shutdown()
    server.server_close()


def post(http: requests.Session, proxy: Proxy, n: int, timeout: float = 5) -> requests.Response:
    return http.post(f"{proxy.url}/push", data=bytes([n]) * 10_000, timeout=timeout)


def test_bytes_pass_through_on_one_keep_alive_connection(proxy: Proxy) -> None:
    with requests.Session() as http:
        assert [len(post(http, proxy, i).content) for i in range(3)] == [4096] * 3
    assert len(proxy.records) == 1 and proxy.records[0].requests == ["POST /push HTTP/1.1"] * 3
    assert proxy.fired() == [] and len(Counting.handled) == 3


def test_a_request_cut_midway_never_reaches_the_server(proxy: Proxy) -> None:
    proxy.cut(Cut("request", nth=2, at=0.5, reset=True))
    with requests.Session() as http:
        assert post(http, proxy, 1).status_code == 200
        with pytest.raises(requests.ConnectionError):
            post(http, proxy, 2)
        assert post(http, proxy, 3).status_code == 200  # a new connection, no cut left
    [cut] = proxy.fired("request")
    assert cut.target == "POST /push HTTP/1.1" and len(cut.requests) == 2
    assert [b[0] for b in Counting.handled] == [1, 3]


def test_a_response_cut_after_the_server_answered_loses_only_the_answer(proxy: Proxy) -> None:
    proxy.cut(Cut("response", nth=1, at=0.3))
    with requests.Session() as http, pytest.raises(
            (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        post(http, proxy, 7).content  # noqa: B018
    [cut] = proxy.fired("response")
    assert [b[0] for b in Counting.handled] == [7]  # the server did the work
    assert 0 < cut.answer_forwarded < cut.answer_bytes


def test_a_stalled_answer_ends_in_the_client_timeout(proxy: Proxy) -> None:
    proxy.cut(Cut("stall", nth=1))
    with requests.Session() as http, pytest.raises(requests.Timeout):
        post(http, proxy, 9, timeout=0.5)
    assert [b[0] for b in Counting.handled] == [9]
    assert proxy.fired("stall")[0].answer_forwarded == 0
