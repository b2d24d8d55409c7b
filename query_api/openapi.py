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
    415: "A body of another media type than the endpoint reads (the Accept header lists them)",
    503: "The engine is unreachable or too slow (Retry-After header)",
}


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
                func = self.alt_response(status, schema=responses.Error, description=ERRORS[status])(func)
            return func

        return decorator


class _Api(flask_smorest.Api):
    ERROR_SCHEMA = responses.Error  # the "default" answer of every operation

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
            "info": {"description": "Search of a Quebec buy-local directory. French field values as stored."},
        },
    )
    api.spec.components.security_scheme("MerchantKey", ingest.SECURITY_SCHEME)
    api.register_blueprint(search.bp)
    api.register_blueprint(ingest.bp)
    return api.spec.to_dict()


def init_app(app: flask.Flask) -> None:
    app.add_url_rule(PATH, "openapi", document, methods=["GET"])
