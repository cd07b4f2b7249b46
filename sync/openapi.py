"""The OpenAPI 3.0 document for ``/api/v1``, built from the schemas the hub validates with."""

from __future__ import annotations

from typing import Any

from kiosk.core.problems import PROBLEMS
from kiosk.core.states import RECEIPT_STATUSES
from sync import entries, schema

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string", "description": "stable, machine-readable",
                            "enum": sorted(PROBLEMS)},
                   "message": {"type": "string"}}}}}
TEXT = {"oneOf": [{"type": "string"}, {"type": "object"}], "nullable": True}
CONSULTATION = {
    "type": "object",
    "required": ["slug", "status", "title", "version", "versions"],
    "properties": {
        "slug": {"type": "string"}, "status": {"type": "string"}, "title": TEXT,
        "summary": TEXT, "opens": {"type": "string", "nullable": True},
        "closes": {"type": "string", "nullable": True},
        "results": {"type": "object", "nullable": True}, "version": {"type": "integer"},
        "versions": {"type": "array", "items": {
            "type": "object", "required": ["version", "definition", "questions_hash"],
            "properties": {"version": {"type": "integer"}, "definition": {"type": "object"},
                           "questions_hash": {"type": "string"}}}},
    },
}
EVENT = {
    "type": "object", "required": ["id", "name", "place", "starts_at"],
    "properties": {"id": {"type": "string"}, "name": TEXT, "place": {"type": "string"},
                   "place_cy": {"type": "string", "nullable": True},
                   "starts_at": {"type": "string"}, "ends_at": {"type": "string", "nullable": True},
                   "description": TEXT,
                   "consultations": {"type": "array", "items": {"type": "string"},
                                     "nullable": True}},
}
AREAS = {
    "type": "object", "required": ["areas", "keys"],
    "description": "the postcode-to-area table: full postcodes only as a digest, never as text",
    "properties": {
        "areas": {"type": "array", "items": {"type": "object", "required": ["code", "name"],
                                             "properties": {"code": {"type": "string"}, "name": TEXT}}},
        "keys": {"type": "array", "description": "[key, kind (postcode/sector/district), area code]",
                 "items": {"type": "array", "items": {"type": "string"}, "minItems": 3, "maxItems": 3}},
    },
}
PULL = {
    "type": "object", "required": ["consultations", "events", "hub_public_key"],
    "properties": {
        "consultations": {"type": "array", "items": CONSULTATION},
        "events": {"type": "array", "items": EVENT},
        "draws": entries.DRAWS_PULLED,
        "areas": AREAS,
        "hub_public_key": {"type": "object", "required": ["algorithm", "key"], "properties": {
            "algorithm": {"type": "string", "enum": ["X25519"]},
            "key": {"type": "string", "description": "base64 of the 32 raw bytes"}}},
    },
}
RECEIPT = {
    "type": "object", "required": ["received_at", "counts", "items"],
    "properties": {
        "batch_id": {"type": "string", "nullable": True},
        "received_at": {"type": "string"},
        "counts": {"type": "object", "required": list(RECEIPT_STATUSES),
                   "properties": {s: {"type": "integer"} for s in RECEIPT_STATUSES}},
        "items": {"type": "array", "items": {
            "type": "object", "required": ["uuid", "status"],
            "properties": {"uuid": {"type": "string", "nullable": True},
                           "status": {"type": "string", "enum": list(RECEIPT_STATUSES)},
                           "reason": {"type": "string"}}}},
    },
}


def _json(ref_or_schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref_or_schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json({"$ref": "#/components/schemas/Error"}, description)


def document() -> dict[str, Any]:
    """The OpenAPI document served at /api/v1/openapi.json."""
    refused = _error("missing, unknown or revoked device token")
    body_errors = {"400": _error("the body is not JSON or breaks the schema"),
                   "413": _error("the body is too large"),
                   "415": _error("unsupported Content-Encoding")}
    return {
        "openapi": "3.0.3",
        "info": {"title": "voxbox sync API", "version": "1",
                 "description": "Kiosks enroll, pull definitions and push responses and sealed "
                                "prize-draw entries. Request bodies may be sent gzip'd "
                                "(Content-Encoding: gzip)."},
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/enroll": {"post": {
                "operationId": "enroll", "summary": "Spend a one-time enrollment code",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/EnrollRequest"}}}},
                "responses": {"201": _json({"type": "object", "required": ["device", "token"],
                                            "properties": {"device": {
                                                "type": "object", "required": ["id", "name"],
                                                "properties": {"id": {"type": "string"},
                                                               "name": {"type": "string"}}},
                                                "token": {"type": "string"},
                                                "hub_public_key": {"type": "object"}}},
                                           "enrolled: keep the token, it is shown once"),
                              "403": _error("the code is unknown, used or expired"),
                              "429": _error("too many enrollment attempts from this address; wait and retry"),
                              **body_errors}}},
            "/pull": {"get": {
                "operationId": "pull",
                "summary": "Open consultations, events, prize draws, the hub key",
                "security": [{"device": []}],
                "parameters": [{"name": "If-None-Match", "in": "header", "required": False,
                                "schema": {"type": "string"}}],
                "responses": {"200": _json(PULL, "the current pull document (with an ETag)"),
                              "304": {"description": "unchanged since the ETag given"},
                              "401": refused}}},
            "/responses": {"post": {
                "operationId": "pushResponses", "summary": "Push a batch of responses",
                "security": [{"device": []}],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/PushRequest"}}}},
                "responses": {"200": _json(RECEIPT, "a receipt line per item, in order"),
                              "401": refused, **body_errors}}},
            "/entries": {"post": {
                "operationId": "pushEntries", "summary": "Push a batch of sealed draw entries",
                "security": [{"device": []}],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/EntryPushRequest"}}}},
                "responses": {"200": _json(entries.ENTRY_RECEIPT,
                                           "a receipt line per item, in order"),
                              "401": refused, **body_errors}}},
            "/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This document",
                "responses": {"200": _json({"type": "object"}, "OpenAPI 3.0 document")}}},
        },
        "components": {
            "securitySchemes": {"device": {"type": "http", "scheme": "bearer",
                                           "description": "the device token from /enroll"}},
            "schemas": {"Error": ERROR, **schema.COMPONENTS},
        },
    }
