"""The hub's sync API under /api/v1: enroll, pull, push responses and draw entries.

JSON in and out, device tokens, no CSRF.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from kiosk.core import limits, problems
from kiosk.core.auth import csrf
from kiosk.devices import store as devices
from sync import bodies, entries, heartbeat, ingest, schema
from sync import openapi as spec
from sync import pull as pull_mod

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
#: Raised by the API's handlers; answered as JSON with the problem's stable code.
ApiError = problems.NamedProblem


def send(payload: Any, status: int = 200) -> Response:
    """JSON, gzip'd when the client accepts it and it is worth it."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    resp = Response(status=status, mimetype="application/json")
    if len(body) > 1400 and "gzip" in request.headers.get("Accept-Encoding", ""):
        body = gzip.compress(body, compresslevel=5, mtime=0)
        resp.headers["Content-Encoding"] = "gzip"
    resp.headers["Vary"] = "Accept-Encoding"
    resp.headers["Cache-Control"] = "no-store"
    resp.set_data(body)
    return resp


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> ResponseReturnValue:
    resp = send({"error": {"code": exc.code, "message": exc.message}}, exc.status)
    resp.headers.update(exc.headers)
    if exc.status == 401:
        resp.headers["WWW-Authenticate"] = 'Bearer realm="voxbox"'
    return resp


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    code = exc.code or 500
    return _api_error(ApiError(problems.FOR_STATUS.get(code, problems.HTTP_ERROR), exc.description or None))


@bp.errorhandler(Exception)
def _server_error(exc: Exception) -> ResponseReturnValue:
    current_app.logger.exception("sync API failure")
    return _api_error(ApiError(problems.INTERNAL_ERROR))


def device_required(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """Let through only a current device token; the view gets the Device as its first argument."""
    @functools.wraps(view)
    def inner(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(problems.MISSING_TOKEN)
        device = devices.by_token(token.strip())
        if device is None:
            raise ApiError(problems.INVALID_TOKEN)
        if device.revoked_at is not None:
            raise ApiError(problems.REVOKED_TOKEN)
        return view(device, *args, **kwargs)

    return inner


def read_json(schema_name: str) -> Any:
    """The request body (gzip'd or not) as JSON checked against a schema; ApiError otherwise.

    Sizes are checked before anything is parsed: the declared length, the bytes read, the
    inflated bytes, the JSON elements and depth (``sync.bodies``), per endpoint.
    """

    max_bytes, max_elements = bodies.caps(schema_name, current_app.config["SYNC_BATCH_SIZE"])
    declared = request.content_length
    if declared is not None and declared > max_bytes:
        raise ApiError(problems.PAYLOAD_TOO_LARGE, f"this body is limited to {max_bytes} bytes")
    raw = request.stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ApiError(problems.PAYLOAD_TOO_LARGE, f"this body is limited to {max_bytes} bytes")
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    payload = bodies.parse(raw, encoding, max_bytes, max_elements)  # BodyError: a named problem
    problem = schema.check(schema.COMPONENTS[schema_name], payload)
    if problem:
        raise ApiError(problems.INVALID_BODY, problem)
    return payload


@bp.get("/openapi.json", provide_automatic_options=False)
def openapi() -> ResponseReturnValue:
    """The OpenAPI document for this API."""
    return send(spec.document())


@bp.post("/enroll", provide_automatic_options=False)
@limits.sign_in
def enroll() -> ResponseReturnValue:
    """Spend a one-time enrollment code for a device id and token."""
    payload = read_json("EnrollRequest")
    result = devices.enroll(payload["code"])
    if result is None:
        raise ApiError(problems.INVALID_ENROLLMENT_CODE)
    device, token = result
    from sync import keys

    public = keys.hub_public_key(current_app._get_current_object())  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy
    assert public is not None  # the hub derives it from its own private key
    key = keys.encode_public(public)
    return send({"device": {"id": device.id, "name": device.name}, "token": token,
                 "hub_public_key": {"algorithm": "X25519", "key": key}}, 201)


@bp.get("/pull", provide_automatic_options=False)
@device_required
def pull(device: devices.Device) -> ResponseReturnValue:
    """Open consultations with their versions, events and the hub's public key; ETag'd."""
    doc = pull_mod.document(current_app)
    tag = pull_mod.etag(doc)
    if tag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        resp = Response(status=304)
    else:
        resp = send(doc)
    resp.headers["ETag"] = tag
    resp.headers["Cache-Control"] = "private, no-cache"
    heartbeat.receive(device.id, request.headers.get(heartbeat.HEADER))
    return resp


@bp.post("/responses", provide_automatic_options=False)
@device_required
def push(device: devices.Device) -> ResponseReturnValue:
    """Store a batch of responses, each UUID once; answer with a receipt line per item."""
    payload = read_json("PushRequest")
    receipt = ingest.ingest(payload["items"], device_id=device.id,
                            batch_id=payload.get("batch_id"))
    # after the receipt is stored, and only as information: the receipt is the same either way
    heartbeat.receive(device.id, request.headers.get(heartbeat.HEADER),
                      settled=len(receipt["items"]))
    return send(receipt)


@bp.post("/entries", provide_automatic_options=False)
@device_required
def push_entries(device: devices.Device) -> ResponseReturnValue:
    """Store a batch of sealed prize-draw entries, each id once; a receipt line per item."""
    payload = read_json("EntryPushRequest")
    receipt = entries.ingest(payload["items"], device_id=device.id)
    heartbeat.receive(device.id, request.headers.get(heartbeat.HEADER))
    return send(receipt)


@bp.route("/<path:_rest>", methods=METHODS)
def unknown(_rest: str) -> ResponseReturnValue:
    """Anything else under /api/v1: OPTIONS, a JSON 405 for a known path, or a JSON 404."""
    allowed = {m for rule in current_app.url_map.iter_rules()
               if rule.rule == request.path for m in (rule.methods or ())}
    if allowed:
        methods = ", ".join(sorted(allowed | {"OPTIONS"}))
        if request.method == "OPTIONS":
            return Response(status=204, headers={"Allow": methods})
        raise ApiError(problems.METHOD_NOT_ALLOWED, f"allowed: {methods}", {"Allow": methods})
    raise ApiError(problems.NOT_FOUND)
