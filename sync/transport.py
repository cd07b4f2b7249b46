"""HTTP to the hub: bearer token, gzip bodies, retries with exponential backoff and full jitter.

Only what may succeed on a second try is retried: connection errors, timeouts, a reply cut off,
5xx and 429. Any other 4xx is the kiosk's problem and is raised at once with the hub's error code.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

RETRYABLE_ERRORS = (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError)
BACKOFF_BASE = 0.25


class SyncError(RuntimeError):
    """A sync step that failed; ``code`` is the hub's stable error code when it gave one."""

    def __init__(self, message: str, code: str = "sync_failed", status: int | None = None) -> None:
        super().__init__(message)
        self.code, self.status = code, status


@dataclass
class Reply:
    """A hub reply: status, parsed JSON body (None for 304) and headers."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)  # case-insensitive from requests


def backoff(attempt: int, cap: float, rng: random.Random | None = None) -> float:
    """Seconds to wait before retry number ``attempt`` (0-based): full jitter under 2^n growth."""
    return (rng or random).uniform(0, min(cap, BACKOFF_BASE * 2 ** attempt))


class Hub:
    """A connection to one hub, reused across calls (keep-alive)."""

    def __init__(self, url: str, token: str | None = None, *, timeout: float = 30,
                 retries: int = 8, backoff_max: float = 30,
                 on_retry: Callable[[str], object] | None = None) -> None:
        self.url = url.rstrip("/")
        self.timeout, self.retries, self.backoff_max = timeout, retries, backoff_max
        self.on_retry = on_retry
        self.http = requests.Session()
        self.http.headers["User-Agent"] = "voxbox-sync/1"
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        """Close pooled connections."""
        self.http.close()

    def call(self, method: str, path: str, *, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> Reply:
        """Send one request, retrying transient failures; raise SyncError on a refusal."""
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                delay = backoff(attempt - 1, self.backoff_max)
                if self.on_retry:
                    self.on_retry(f"{problem}; retrying in {delay:.1f}s "
                                  f"(attempt {attempt + 1} of {self.retries + 1})")
                time.sleep(delay)
            try:
                resp = self.http.request(method, self.url + path, data=body, headers=headers,
                                         timeout=self.timeout)
                payload = None if resp.status_code == 304 else resp.json()
            except RETRYABLE_ERRORS as exc:
                problem = f"{type(exc).__name__}: {_short(exc)}"
                continue
            except ValueError:  # a 2xx/5xx whose JSON was cut short or is not JSON at all
                if resp.status_code < 500 and resp.status_code != 429 and not resp.ok:
                    raise SyncError(f"hub answered {resp.status_code} without a JSON body",
                                    status=resp.status_code) from None
                problem = f"unreadable reply (HTTP {resp.status_code})"
                continue
            if resp.status_code >= 500 or resp.status_code == 429:
                problem = f"hub answered {resp.status_code}"
                continue
            if resp.status_code >= 400:
                err = payload.get("error", {}) if isinstance(payload, dict) else {}
                raise SyncError(err.get("message") or f"hub answered {resp.status_code}",
                                err.get("code", "http_error"), resp.status_code)
            return Reply(resp.status_code, payload, resp.headers)
        raise SyncError(f"gave up after {self.retries + 1} attempts: {problem}", "unreachable")


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 160 else text[:157] + "..."
