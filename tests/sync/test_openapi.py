"""schemathesis against /api/v1/openapi.json on a live hub: no 5xx, no schema violations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from kiosk import create_app
from sync import openapi
from tests.conftest import load_demo
from tests.sync.conftest import Server, add_device

schema = schemathesis.openapi.from_dict(openapi.document())
# 413 is how the hub refuses a body over its size caps before reading it (documented as such):
# a rejection of invalid data like 400
schema.config.checks.negative_data_rejection.expected_statuses = [
    *schema.config.checks.negative_data_rejection.expected_statuses, "413"]


@pytest.fixture(scope="module")
def api_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A live hub and a device token for it: (API base URL, token)."""
    app = create_app({"TESTING": True, "ROLE": "hub", "SECRET_KEY": "t", "RATELIMIT_ENABLED": False},
                     instance_path=str(tmp_path_factory.mktemp("api-hub")))
    with app.app_context():
        load_demo()
    _id, token = add_device(app)
    server = Server(app)
    yield f"{server.url}/api/v1", token
    server.stop()


def test_the_served_document_is_the_one_tested(api_hub) -> None:
    base, _token = api_hub
    served = requests.get(f"{base}/openapi.json", timeout=10).json()
    assert served == openapi.document()


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case, api_hub) -> None:
    base, token = api_hub
    case.call_and_validate(base_url=base, headers={"Authorization": f"Bearer {token}"})


@schema.include(operation_id=["pull", "pushResponses", "pushEntries"]).parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_unauthenticated_calls_are_refused(case, api_hub) -> None:
    base, _token = api_hub
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    response = case.call_and_validate(base_url=base)
    if case.method.upper() == case.operation.method.upper():  # not a probe with another method
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "missing_token"
