"""Issue 11, acceptance 3: gzip, JSON and bundle bombs are refused with 413/400 before the hub
builds them, and a real hub process's peak memory (VmHWM) stays within 200 MB of idle."""

from __future__ import annotations

import json
import re
import time
import zlib
from pathlib import Path

import requests

from .conftest import run, serve

MB = 1024 * 1024


def gzip_bomb(prefix: bytes, filler: bytes, size: int, suffix: bytes) -> bytes:
    """A small gzip body that inflates to about ``size`` bytes of JSON."""
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = [z.compress(prefix)]
    chunk = filler * (MB // len(filler))
    for _ in range(size // MB):
        out.append(z.compress(chunk))
    out += [z.compress(suffix), z.flush()]
    return b"".join(out)


def memory(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS) of a process in bytes, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss, hwm = (int(re.search(rf"{k}:\s+(\d+) kB", status).group(1)) * 1024
                for k in ("VmRSS", "VmHWM"))
    return rss, hwm


def test_bombs_get_413_or_400_and_the_hub_stays_small(tmp_path: Path) -> None:
    hub_dir = tmp_path / "hub"
    proc, port = serve(hub_dir, "hub")
    url = f"http://127.0.0.1:{port}/api/v1"
    try:
        code = re.search(r"enrollment code: (\S+)",
                         run(hub_dir, "hub", "devices", "add", "k1").stdout).group(1)
        token = requests.post(f"{url}/enroll", json={"code": code}, timeout=30).json()["token"]
        for _ in range(3):  # warm up every path once before taking the idle figure
            requests.post(f"{url}/responses", json={"items": []}, timeout=30,
                          headers={"Authorization": f"Bearer {token}"})
        idle, _peak = memory(proc.proc.pid)
        gz = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        auth = {"Authorization": f"Bearer {token}"}
        bombs = [
            # unauthenticated enrollment: 128 MB of JSON in ~125 KB (the 3.3 GB case)
            ("enroll", {}, gz, gzip_bomb(b'{"code":"', b"A", 128 * MB, b'"}'), {413}),
            # a device's push inflating to 128 MB
            ("responses", auth, gz, gzip_bomb(b'{"items":["', b"x", 128 * MB, b'"]}'), {413}),
            ("entries", auth, gz, gzip_bomb(b'{"items":[', b"{},", 128 * MB, b"{}]}"), {413}),
            # deep nesting and a flood of empty objects, under the byte cap
            ("responses", auth, {}, b"[" * 200_000, {400}),
            ("responses", auth, {}, b'{"items":[' + b"{}," * (2 * MB) + b"{}]}", {413}),
            # no token: refused before the body is read
            ("responses", {}, gz, gzip_bomb(b'{"items":["', b"x", 128 * MB, b'"]}'), {401}),
        ]
        for path, auth_header, headers, body, expected in bombs:
            started = time.monotonic()
            resp = requests.post(f"{url}/{path}", data=body, timeout=60,
                                 headers={**headers, **auth_header})
            took = time.monotonic() - started
            assert resp.status_code in expected, (path, resp.status_code, resp.text[:300])
            assert resp.json()["error"]["code"], resp.text[:300]
            assert took < 20, f"{path}: {took:.1f}s"  # generous on a loaded machine; bench for speed
        _rss, peak = memory(proc.proc.pid)
        assert peak - idle < 200 * MB, f"peak {peak / MB:.0f} MB vs idle {idle / MB:.0f} MB"
        # and a normal push still goes through
        ok = requests.post(f"{url}/responses", json={"items": []}, headers=auth, timeout=30)
        assert ok.status_code == 200 and json.loads(ok.content)["counts"]["accepted"] == 0
    finally:
        proc.stop()
