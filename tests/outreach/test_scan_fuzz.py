"""Fuzz /q/: whatever the path holds, the answer is a 302 to a page on the hub or a 404 (or, for
/q/ itself, the holding page)."""

from __future__ import annotations

import random
import string
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from kiosk.outreach import tracking

PATHS = 10_500
HOSTILE = [
    "//evil.example", "/\\evil.example", "\\\\evil.example", "%2F%2Fevil.example", "%2f%2fevil.example",
    "%5C%5Cevil.example", "/%2F/evil.example", "%252F%252Fevil.example", "javascript:alert(1)",
    "JavaScript:alert(document.cookie)", "javascript%3Aalert(1)", "data:text/html,<script>x</script>",
    "http://evil.example", "https:/evil.example", "https:evil.example", "///evil.example",
    "evil.example", "@evil.example", "..%2F..%2Fevil", "../../etc/passwd", "%0d%0aLocation:%20http://evil.example",
    "%0aSet-Cookie:x=1", "%00", "%E2%80%AE", "%C0%AF", "..;/", "?next=//evil.example",
    "#//evil.example", "ABCDEF/..//evil.example", "ＡＢＣＤＥＦ", "/" * 30, "%" * 10,
]
PIECES = HOSTILE + ["/", "//", "\\", "%2F", "%5C", ":", "@", "?", "&", ".", "..", "-", " ", "%20",
                    "%09", "http:", "https:", "evil.example", "www.", "code=", "next=", "%3A", "%40"]
SAFE = string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@/%\\"


def generated_paths(codes: list[str], n: int, seed: int = 20261124) -> list[str]:
    """Hostile strings, variants of real codes, and random mixtures of both."""
    rng = random.Random(seed)
    out = list(HOSTILE)
    while len(out) < n:
        roll = rng.random()
        if roll < 0.15:  # a real code, mangled or dressed up
            code = rng.choice(codes)
            variant = rng.choice([code, code.lower(), f"{code[:3]}-{code[3:]}", f" {code} ",
                                  code + rng.choice(PIECES), rng.choice(PIECES) + code,
                                  code[:-1] + rng.choice(tracking.ALPHABET)])
            out.append(variant)
        elif roll < 0.55:
            out.append("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 5))))
        elif roll < 0.85:
            out.append("".join(rng.choice(SAFE) for _ in range(rng.randint(0, 24))))
        else:
            raw = "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(1, 12)))
            out.append(quote(raw, safe=rng.choice(["", "/", "/:@", "/\\"])))
    return out[:n]


@pytest.mark.slow
def test_generated_paths_never_leave_the_site(app, make_code) -> None:
    codes = [make_code(label=f"Placement {i}") for i in range(3)]
    known = {"policing-priorities"}
    paths = generated_paths(codes, PATHS)
    assert len(paths) >= 10_000
    client = app.test_client()
    seen = {302: 0, 404: 0}
    for path in paths:
        client.delete_cookie("vx_scanned")
        r = client.get("/q/" + path)
        if r.request.path == "/q/":  # /q/ itself (any query string): the holding page
            assert r.status_code == 200 and "Location" not in r.headers, path
            continue
        assert r.status_code in (302, 404), (path, r.status_code)
        seen[r.status_code] += 1
        if r.status_code == 302:
            location = r.headers["Location"]
            parts = urlsplit(location)
            assert (parts.scheme, parts.netloc) == ("", ""), (path, location)
            assert location.startswith("/c/") and "\\" not in location, (path, location)
            slug = parts.path.removeprefix("/c/")
            assert slug in known, (path, location)
            assert dict(parse_qsl(parts.query)).get("code") in codes, (path, location)
    assert seen[302] > 500 and seen[404] > 5_000, seen
