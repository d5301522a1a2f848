"""Property run over the OpenAPI spec (schemathesis): whatever the schema allows or nearly allows, the
API answers without a 5xx, and every 4xx carries a `detail` message (under /v1, OpenAI's `error.message`).
Kept short: a few examples per route."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as given_settings
from schemathesis.config import SchemathesisConfig

from api.app import create_app
from rag.core.settings import Settings, get_settings
from rag.pipeline import Pipeline
from tests.api.conftest import AUTH

# The schema is read at import (collection) time; the pipeline is wired in per module below, so importing
# this file builds no index. Until then the settings point nowhere: nothing can run against them.
APP = create_app(Settings(index_dir=Path("/nonexistent/rag-schema-test"), _env_file=None))
# schemathesis' coverage phase (boundary values, wrong types, missing fields) runs on the cheap routes; on
# the drafting ones (~100 ms a call) it alone would take half a minute, so they get only the fuzzing phase
CONFIG = SchemathesisConfig.from_dict(
    {"operations": [{"include-path-regex": "draft", "phases": {"coverage": {"enabled": False}}}]})
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)


@pytest.fixture(scope="module", autouse=True)
def _wired(settings: Settings, pipe: Pipeline) -> None:
    APP.dependency_overrides[get_settings] = lambda: settings
    APP.state.pipeline = pipe


@schema.parametrize()
@given_settings(max_examples=8, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    r = case.call(headers=AUTH)  # with the admin token, so uploads and deletes run too
    assert r.status_code < 500, f"{case.method} {case.formatted_path} → {r.status_code}: {r.text[:500]}"
    if r.status_code >= 400:
        body = r.json()
        # the OpenAI-compatible routes answer in OpenAI's error shape, {"error": {"message", "code", …}}; a
        # method no route has (405) is refused by the router, with the app's `detail`
        openai = case.formatted_path.startswith("/v1/") and r.status_code != 405
        detail = body.get("error", {}).get("message") if openai else body.get("detail")
        assert isinstance(detail, str) and detail, f"{case.method} {case.formatted_path} → {r.status_code}: {r.text}"
