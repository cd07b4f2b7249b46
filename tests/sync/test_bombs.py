"""Issue 11, acceptance 3: gzip, JSON and bundle bombs are refused with 413/400 in under a second
(scaled only by VOXBOX_TEST_SLOWDOWN) before the hub builds them, and a real hub process's peak
memory (VmHWM) stays within 200 MB of idle.

The gzip bombs inflate to 1 GB: a hub that inflated one would take seconds and a gigabyte, so
both the time and the memory checks fail if a bomb is ever decompressed whole."""

from __future__ import annotations

import json
import re
import struct
import time
import zlib
from pathlib import Path

import pytest
import requests

from tests.sync.conftest import deadline, run, serve

MB = 1024 * 1024
GB = 1024 * MB


def gzip_bomb(prefix: bytes, filler: bytes, size: int, suffix: bytes) -> bytes:
    """A small, valid gzip body (CRC and length right) that inflates to about ``size`` bytes.

    Each megabyte of filler is deflated once after a full flush, so every copy compresses to the
    same block: a 1 GB bomb (about 1 MB) is made in half a second, not compressed byte by byte.
    """
    z = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunk, count = filler * (MB // len(filler)), size // MB
    head = z.compress(prefix) + z.flush(zlib.Z_FULL_FLUSH)
    block = z.compress(chunk) + z.flush(zlib.Z_FULL_FLUSH)
    tail = z.compress(suffix) + z.flush()
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    length = len(prefix) + count * len(chunk) + len(suffix)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + head + block * count + tail
            + struct.pack("<II", zlib.crc32(suffix, crc), length & 0xFFFFFFFF))


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
            # unauthenticated enrollment: 1 GB of JSON in ~1 MB (the 3.3 GB case)
            ("enroll", {}, gz, gzip_bomb(b'{"code":"', b"A", GB, b'"}'), {413}),
            # a device's push inflating to 1 GB (its ~1 MB is under the push's byte cap, so
            # this one is read and inflated as a stream until the inflated cap)
            ("responses", auth, gz, gzip_bomb(b'{"items":["', b"x", GB, b'"]}'), {413}),
            ("entries", auth, gz, gzip_bomb(b'{"items":[', b"{},", GB, b"{}]}"), {413}),
            # deep nesting and a flood of empty objects, under the byte cap
            ("responses", auth, {}, b"[" * 200_000, {400}),
            ("responses", auth, {}, b'{"items":[' + b"{}," * (2 * MB) + b"{}]}", {400}),
            # no token: refused before the body is read
            ("responses", {}, gz, gzip_bomb(b'{"items":["', b"x", GB, b'"]}'), {401}),
        ]
        for path, auth_header, headers, body, expected in bombs:
            started = time.monotonic()
            resp = requests.post(f"{url}/{path}", data=body, timeout=60,
                                 headers={**headers, **auth_header})
            took = time.monotonic() - started
            assert resp.status_code in expected, (path, resp.status_code, resp.text[:300])
            assert resp.json()["error"]["code"], resp.text[:300]
            assert took < deadline(1), f"{path}: {took:.2f}s for a {len(body)}-byte bomb"
        _rss, peak = memory(proc.proc.pid)
        assert peak - idle < 200 * MB, f"peak {peak / MB:.0f} MB vs idle {idle / MB:.0f} MB"
        # and a normal push still goes through
        ok = requests.post(f"{url}/responses", json={"items": []}, headers=auth, timeout=30)
        assert ok.status_code == 200 and json.loads(ok.content)["counts"]["accepted"] == 0
    finally:
        proc.stop()


def test_an_unsigned_bundle_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from kiosk import create_app
    from sync import bundle
    from tests.sync.conftest import VOXBOX

    hub_dir = tmp_path / "hub"
    added = run(hub_dir, "hub", "devices", "add", "k1").stdout
    device_id = re.search(r"device k1 \(([0-9a-f-]+)\)", added).group(1)
    proc, port = serve(hub_dir, "hub")
    try:  # an enrolled device: the forged bundle below gets as far as its HMAC
        code = re.search(r"enrollment code: (\S+)", added).group(1)
        assert requests.post(f"http://127.0.0.1:{port}/api/v1/enroll", json={"code": code},
                             timeout=30).status_code == 201
    finally:
        proc.stop()
    bomb = gzip_bomb(b'{"format":"voxbox-bundle/1","items":["', b"x", GB, b'"]}')
    forged = bytearray(bomb)  # the same bomb claiming to be the device's, with a made-up HMAC
    comment = f"voxbox-bundle/2 device={device_id} hmac={'0' * 64}".encode() + b"\x00"
    forged[3] |= 0x10
    forged[10:10] = comment
    hub = create_app({"ROLE": "hub"}, instance_path=str(hub_dir))
    for name, data in (("plain.vxb", bomb), ("forged.vxb", bytes(forged))):
        path = tmp_path / name
        path.write_bytes(data)
        assert len(data) < 2 * MB
        with hub.app_context():  # the hub's own check, timed where it runs
            started = time.monotonic()
            with pytest.raises(bundle.BundleError, match="HMAC mismatch"):
                bundle.import_bundle(data)
            took = time.monotonic() - started
        assert took < deadline(1), f"{name}: refused after {took:.2f}s"
        probe = ("import resource, subprocess, sys; "
                 "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
                 "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
                 "print(done.stderr)")
        out = subprocess.run([sys.executable, "-c", probe, VOXBOX, "--instance", str(hub_dir),
                              "sync", "import", str(path)], capture_output=True, text=True,
                             timeout=deadline(120), env={**os.environ, "VOXBOX_ROLE": "hub"})
        first, _, message = out.stdout.partition("\n")
        code, peak_kb = (int(x) for x in first.split())
        assert code == 1 and "HMAC mismatch" in message, out.stdout + out.stderr
        assert peak_kb * 1024 < 200 * MB, f"{name}: sync import peaked at {peak_kb // 1024} MB"
