"""The OpenAPI document is generated from the routes: every route is in it, with our error shape."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from panier_core.settings import Settings
from query_api import create_app
from query_api.openapi import PATH, document


def test_every_route_is_documented_and_no_other_path():
    app = create_app(Settings(index_prefix="doc-"))
    routes = {
        re.sub(r"<(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/v1/") and rule.rule != PATH
    }
    validate(document())
    assert set(document()["paths"]) == routes


def test_errors_are_documented_in_the_one_error_shape_never_as_a_422():
    doc = document()
    error = doc["components"]["schemas"]["Error"]
    assert error["required"] == ["error"] and error["additionalProperties"] is False
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            answers = operation["responses"]
            assert "422" not in answers and "503" in answers, path
            for status, answer in answers.items():
                if status not in ("200", "default"):
                    assert answer["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/Error"
                    }


def test_the_document_is_the_same_whichever_parts_a_process_serves():
    ingest_only = create_app(Settings(index_prefix="doc-", api_parts=("ingest",))).test_client()
    assert ingest_only.get(PATH).status_code == 404  # served with the shoppers' part, as before
    search_only = create_app(Settings(index_prefix="doc-", api_parts=("search",))).test_client()
    assert search_only.get(PATH).get_json() == document()
    assert "/v1/ingest/stock" in document()["paths"]
