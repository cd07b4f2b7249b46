"""Where a form may send the browser next: only back to this site."""

from __future__ import annotations


def same_site_path(target: str | None) -> str | None:
    """Only same-site paths may be redirect targets.

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so "/", a tab,
    "/evil" would become "//evil" (another site): any control character or backslash is refused.
    """
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    return target
