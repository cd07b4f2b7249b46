"""Named problems: one shape for every validation error voxbox reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong, at a path in a document or a form field."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ProblemError(ValueError):
    """Raised with a list of problems; str() gives one problem a line."""

    def __init__(self, problems: list[Problem], source: str = "") -> None:
        self.problems = problems
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__("\n".join(prefix + str(p) for p in problems))


class AnswerError(ValueError):
    """An answer that does not fit its question; the message is shown to the resident."""


# --- named problems: every stable error code the API, sync and the CLI report ------------------


@dataclass(frozen=True)
class Named:
    """A stable error code with its HTTP status and default message (ODK Central's problem list)."""

    code: str
    status: int
    message: str


class NamedProblem(Exception):
    """Raised with one of the named problems below; ``detail`` replaces its message when the
    moment has something more exact to say. The API answers with its status and code as JSON,
    and the CLI prints its message."""

    def __init__(self, problem: Named, detail: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        self.problem = problem
        self.status, self.code = problem.status, problem.code
        self.message = detail or problem.message
        self.headers = headers or {}
        super().__init__(self.message)


BAD_REQUEST = Named("bad_request", 400, "the request could not be read")
INVALID_BODY = Named("invalid_body", 400, "the body does not match its schema")
INVALID_JSON = Named("invalid_json", 400, "the body is not valid JSON")
INVALID_GZIP = Named("invalid_gzip", 400, "the body is not valid gzip")
UNAUTHORIZED = Named("unauthorized", 401, "sign in or send a device token")
MISSING_TOKEN = Named("missing_token", 401, "send the device token: Authorization: Bearer …")
INVALID_TOKEN = Named("invalid_token", 401, "this device token is not known to the hub")
REVOKED_TOKEN = Named("revoked_token", 401, "this device has been revoked; enroll it again")
FORBIDDEN = Named("forbidden", 403, "this is not allowed")
INVALID_ENROLLMENT_CODE = Named("invalid_enrollment_code", 403,
                                "this enrollment code is unknown, already used or expired")
NOT_FOUND = Named("not_found", 404, "no such API endpoint")
METHOD_NOT_ALLOWED = Named("method_not_allowed", 405, "this method is not allowed here")
PAYLOAD_TOO_LARGE = Named("payload_too_large", 413, "the body is too large")
UNSUPPORTED_MEDIA_TYPE = Named("unsupported_media_type", 415, "send application/json")
UNSUPPORTED_ENCODING = Named("unsupported_encoding", 415, "Content-Encoding must be gzip or absent")
TOO_MANY_REQUESTS = Named("too_many_requests", 429, "too many requests; wait and try again")
INTERNAL_ERROR = Named("internal_error", 500, "the hub failed; try again later")
DATABASE_UNAVAILABLE = Named("database_unavailable", 503,
                             "the hub's database is unavailable; try again shortly")
HTTP_ERROR = Named("http_error", 500, "the request failed")

#: Every named problem by code, and the code an HTTP status falls back to.
PROBLEMS: dict[str, Named] = {p.code: p for p in (
    BAD_REQUEST, INVALID_BODY, INVALID_JSON, INVALID_GZIP, UNAUTHORIZED, MISSING_TOKEN,
    INVALID_TOKEN, REVOKED_TOKEN, FORBIDDEN, INVALID_ENROLLMENT_CODE, NOT_FOUND,
    METHOD_NOT_ALLOWED, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_ENCODING,
    TOO_MANY_REQUESTS, INTERNAL_ERROR, DATABASE_UNAVAILABLE, HTTP_ERROR)}
FOR_STATUS: dict[int, Named] = {400: BAD_REQUEST, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND,
                                405: METHOD_NOT_ALLOWED, 413: PAYLOAD_TOO_LARGE,
                                415: UNSUPPORTED_MEDIA_TYPE, 429: TOO_MANY_REQUESTS,
                                500: INTERNAL_ERROR, 503: DATABASE_UNAVAILABLE}
