"""The Blueprint our routes are declared on (flask-smorest), and the OpenAPI document built from them.

A route declares its query parameters with ``@bp.arguments(SCHEMA, location="query")``, its answer
with ``@bp.response(200, Schema)`` and its error answers with ``@bp.errors(...)``; the document at
``/v1/openapi.json`` is generated from those declarations, never written by hand.

Parameters are parsed as this API always has: a parameter given twice or unknown to the schema is
a 400 naming each field and why, answered by ``errors.py`` in the one error shape (flask-smorest's
422 and its error handlers are never used). A view that returns a ``flask.Response`` (an answer
already serialized by orjson) is sent as it is: the response schema documents it, nothing re-dumps it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import flask
import flask_smorest
from marshmallow import ValidationError
from webargs.flaskparser import FlaskParser

from query_api import responses
from query_api.errors import ApiError

PATH = "/v1/openapi.json"
ERRORS = {
    400: "Invalid parameters: `fields` names each one and why",
    401: "Missing, unknown or revoked key",
    403: "The key's merchant is not active",
    404: "Unknown id",
    413: "More than 1,000 items or 1 MB",
    414: "Request line (method, path and query) over 4,096 bytes; answered by the server before any route",
    415: "A body of another media type than the endpoint reads (the Accept header lists them)",
    429: "The client is over its rate limit (Retry-After header)",
    431: "Request headers too large or too many; answered by the server before any route",
    503: "The engine is unreachable or too slow, or the server is busy (Retry-After header)",
}
MALFORMED = "Malformed request line or header; answered by the server before any route"
BODY_TOO_LARGE = "A request body over 64 KB (no search reads one)"
# Headers some error answers always carry (errors.py, limits.py, shedding.py).
RETRY_AFTER = {
    "Retry-After": {
        "description": "seconds to wait before trying again",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}
HEADERS = {
    415: {"Accept": {"description": "the media types the endpoint reads", "required": True,
                     "schema": {"type": "string"}}},
    429: RETRY_AFTER,
    503: RETRY_AFTER,
}  # fmt: skip
# Not an operation's answer, so said once for the whole document.
EVERY_PATH = (
    "Any other method on a path answers 405 with an `Allow` header, an unknown path 404, both in the "
    "error shape of `Error`. Parameters that go together or exclude each other (lat and lon, near "
    "or lat/lon, radius_km and sort=distance with a location, page × per_page ≤ 1,000, min_price ≤ "
    "max_price, cursor or page) are in each parameter's description; breaking one is a 400 naming "
    "the parameter."
)


class QueryParser(FlaskParser):
    """Query parameters as the API takes them: each once, none the schema does not know."""

    DEFAULT_VALIDATION_STATUS = 400

    def __init__(self) -> None:
        super().__init__(unknown=None)  # each schema refuses unknown parameters itself (Meta.unknown)

    def load_querystring(self, req: flask.Request, schema: Any) -> dict[str, str]:
        repeated = [name for name, values in req.args.lists() if len(values) > 1]
        if repeated:
            raise ApiError(400, "invalid parameters", {k: ["give this parameter once"] for k in repeated})
        return req.args.to_dict()

    def handle_error(self, error: ValidationError, req: flask.Request, schema: Any, **_: Any):
        # webargs files the messages under their location ({"query": {...}}); the API names fields
        (messages,) = error.messages.values()
        raise ValidationError(messages) from error


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = QueryParser()

    def errors(self, *statuses: int) -> Callable[[Any], Any]:
        """Documents the error answers a route may give (all in the one shape of errors.py)."""

        def decorator(func: Any) -> Any:
            for status in statuses:
                func = self.alt_response(
                    status, schema=responses.Error, description=ERRORS[status], headers=HEADERS.get(status)
                )(func)
            return func

        return decorator


class _Api(flask_smorest.Api):
    ERROR_SCHEMA = responses.Error
    # No "default" answer: every status an operation gives is listed, so that a client (and the
    # schemathesis run of tests/integration/test_schemathesis.py) can tell an undocumented one.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_pagination_header(self) -> None:
        """None: no route pages with flask-smorest's headers (pages are in the answers)."""


@cache
def document() -> dict[str, Any]:
    """Every part of the API, whichever parts this process serves (PANIER_API): the document is
    built once, on an app of its own that registers both blueprints."""
    from query_api import ingest, search

    api = _Api(
        flask.Flask(__name__),
        spec_kwargs={
            "title": "Panier query API",
            "version": "1.0.0",
            "openapi_version": "3.0.3",
            "info": {
                "description": "Search of a Quebec buy-local directory. French field values as stored. "
                + EVERY_PATH
            },
        },
    )
    api.ma_plugin.converter.add_attribute_function(_null_or_ref)
    api.spec.components.security_scheme("MerchantKey", ingest.SECURITY_SCHEME)
    api.register_blueprint(search.bp)
    api.register_blueprint(ingest.bp)
    return _with_server_errors(api.spec.to_dict())


def _with_server_errors(spec: dict[str, Any]) -> dict[str, Any]:
    """The answers no route declares because they come before it: gunicorn's own 400, 414 and 431
    (query_api/server.py) on every operation, 429 on the rate-limited ones (query_api/limits.py)."""
    from query_api import limits

    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            answers = {400: MALFORMED, 413: BODY_TOO_LARGE, 414: ERRORS[414], 431: ERRORS[431]}
            if path not in limits.EXEMPT_PATHS:
                answers[429] = ERRORS[429]
            for status, description in answers.items():
                answer = {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
                if status in HEADERS:
                    answer["headers"] = HEADERS[status]
                operation["responses"].setdefault(str(status), answer)
    # /v1/health's own 503 (an alias missing) is its usual answer, with status "degraded".
    unhealthy = spec["paths"]["/v1/health"]["get"]["responses"]["503"]["content"]["application/json"]
    unhealthy["schema"] = {"anyOf": [{"$ref": "#/components/schemas/Health"}, unhealthy["schema"]]}
    return spec


def _null_or_ref(self: Any, field: Any, ret: dict[str, Any], **_: Any) -> dict[str, Any]:
    """A nullable nested schema as null or that schema, and nothing else. apispec writes
    ``anyOf: [{type: object, nullable: true}, {$ref}]``, which any object matches: an answer's
    ``location`` or ``relaxed`` with an undocumented field would pass for documented."""
    any_object = {"type": "object", "nullable": True}
    if any_object not in ret.get("anyOf", []):
        return {}
    return {"anyOf": [{**any_object, "enum": [None]} if a == any_object else a for a in ret["anyOf"]]}


def init_app(app: flask.Flask) -> None:
    app.add_url_rule(PATH, "openapi", document, methods=["GET"])
