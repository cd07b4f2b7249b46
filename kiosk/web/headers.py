"""Security headers on every response: CSP, framing, referrer, sniffing and (over HTTPS) HSTS.

The pages load only their own scripts and styles from /static (no inline script, no inline
handler); the one inline `<script type="application/json">` of the budget simulator is data, which
CSP does not run. Style attributes stay allowed: the budget bars are drawn server-side for
browsers without JavaScript.
"""

from __future__ import annotations

from flask import Flask, Response

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
#: One year; sent only when PUBLIC_URL is https (a browser then refuses plain HTTP to the host).
HSTS = "max-age=31536000"


def security_headers(https: bool) -> dict[str, str]:
    """The headers every response carries (HSTS only when the site is served over HTTPS)."""
    headers = {
        "Content-Security-Policy": CSP,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def init_app(app: Flask) -> None:
    """Add the security headers to every response, error pages and the API included."""
    headers = security_headers(app.config["PUBLIC_URL"].startswith("https://"))

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
