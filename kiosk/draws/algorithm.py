"""The verifiable draw: a deterministic pick from a public seed over hashed entry ids.

Algorithm ``voxbox-draw`` version 1 (anyone can re-implement it from this description):

1. Each entry id (a random UUID) is published only as ``sha256(id)`` in lower-case hex.
2. The pool is those hashes sorted as ASCII text; ``digest = sha256("\\n".join(pool))`` (hex)
   commits to the whole pool, so changing, adding or removing any entry changes every pick.
3. For pick ``i`` = 0, 1, … up to winners + reserves (or the pool size if smaller): for
   ``counter`` = 0, 1, …, let ``x`` be ``sha256(f"{seed}|{digest}|{i}|{counter}")`` read as a
   256-bit big-endian integer and ``m`` the number of hashes left; accept the first ``x`` below
   ``2**256 - 2**256 % m`` (rejection sampling, so no index is favoured by modulo bias) and
   remove ``pool[x % m]`` from the pool as pick ``i``.
4. The first ``winners`` picks are the winners in order; the rest are the reserves in order.
5. An entry's reference (shown to its resident on entering) is the first 10 characters of its hash.
6. ``history`` (absent until something happens) lists, in order, each prize not claimed after the
   draw: ``prize`` (1 … winners), the ``entry`` hash that held it, the ``event`` (``declined`` or
   ``expired``) and the ``promoted`` reserve's hash (``null`` when no reserve was left). The reserve
   promoted is always the next one in draw order that has not been promoted already.
"""

from __future__ import annotations

import hashlib
from typing import Any

NAME = "voxbox-draw"
#: Characters of an entry's hash that make its reference.
REFERENCE_LENGTH = 10
#: What can happen to a prize after the draw that passes it to the next reserve.
UNCLAIMED = ("declined", "expired")
VERSION = 1
FORMAT = "voxbox-draw-verification"
DESCRIPTION = __doc__.split("\n\n", 1)[1].strip()


def entry_hash(entry_id: str) -> str:
    """The published form of an entry id."""
    return hashlib.sha256(entry_id.encode()).hexdigest()


def reference(entry_hash_: str) -> str:
    """The short reference a resident is shown: the start of the entry's published hash."""
    return entry_hash_[:REFERENCE_LENGTH]


def pool_digest(hashes: list[str]) -> str:
    """SHA-256 (hex) over the sorted entry hashes joined by newlines."""
    return hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()


def pick(seed: str, hashes: list[str], count: int) -> list[str]:
    """The draw order of up to ``count`` entry hashes for this seed (steps 2 and 3)."""
    pool = sorted(hashes)
    digest = pool_digest(pool)
    picks: list[str] = []
    space = 1 << 256
    for i in range(min(count, len(pool))):
        m = len(pool)
        limit = space - space % m
        counter = 0
        while True:
            x = int.from_bytes(hashlib.sha256(f"{seed}|{digest}|{i}|{counter}".encode()).digest(),
                               "big")
            if x < limit:
                break
            counter += 1
        picks.append(pool.pop(x % m))
    return picks


def verification(seed: str, hashes: list[str], winners: int, reserves: int,
                 draw: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
    """The publishable verification file: algorithm, seed, entry hashes and the result."""
    order = pick(seed, hashes, winners + reserves)
    return {
        "format": FORMAT,
        "algorithm": {"name": NAME, "version": VERSION, "description": DESCRIPTION},
        "draw": {**draw, "winners": winners, "reserves": reserves},
        "run": run,
        "seed": seed,
        "entries": sorted(hashes),
        "entries_digest": pool_digest(hashes),
        "result": {"winners": order[:winners], "reserves": order[winners:]},
    }


def verify(doc: dict[str, Any]) -> list[str]:
    """Recompute a verification file; the list of mismatches is empty when it holds."""
    try:
        algorithm = doc["algorithm"]
        if (algorithm["name"], algorithm["version"]) != (NAME, VERSION):
            return [f"unknown algorithm {algorithm['name']} version {algorithm['version']}"]
        seed, hashes = str(doc["seed"]), [str(h) for h in doc["entries"]]
        winners, reserves = int(doc["draw"]["winners"]), int(doc["draw"]["reserves"])
        stated = doc["result"]
        stated_winners, stated_reserves = list(stated["winners"]), list(stated["reserves"])
    except (KeyError, TypeError, ValueError) as exc:
        return [f"not a {FORMAT} file: missing or bad {exc}"]
    problems = []
    if len(set(hashes)) != len(hashes):
        problems.append("entries: the same hash appears twice")
    if doc.get("entries_digest") not in (None, pool_digest(hashes)):
        problems.append("entries_digest does not match the entries")
    order = pick(seed, hashes, winners + reserves)
    if order[:winners] != stated_winners:
        problems.append("result.winners differ from the recomputed draw")
    if order[winners:] != stated_reserves:
        problems.append("result.reserves differ from the recomputed draw")
    return problems + check_history(doc.get("history") or [], order[:winners], order[winners:])


def check_history(history: list[Any], winners: list[str], reserves: list[str]) -> list[str]:
    """Replay the history (step 6): each prize passed on by its holder to the next reserve."""
    holders: dict[int, str | None] = dict(enumerate(winners, 1))
    queue = list(reserves)
    problems = []
    for n, item in enumerate(history, 1):
        try:
            prize, entry, event = int(item["prize"]), item["entry"], item["event"]
            promoted = item.get("promoted")
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(f"history {n}: missing or bad {exc}")
            continue
        if event not in UNCLAIMED:
            problems.append(f"history {n}: unknown event {event!r}")
        if entry is None or holders.get(prize) != entry:
            problems.append(f"history {n}: prize {prize} was not held by that entry")
        expected = queue.pop(0) if queue else None
        if promoted != expected:
            problems.append(f"history {n}: the promoted entry is not the next reserve in order")
        holders[prize] = promoted
    return problems
