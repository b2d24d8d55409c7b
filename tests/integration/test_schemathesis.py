"""Schemathesis against the app in-process (WSGI), on the test corpus in a real engine: every
operation of the OpenAPI document, with requests it generates from the document (examples, the
coverage phase's boundary and wrong-type values, then fuzzing; valid and invalid data), and every
built-in check on every answer but one:

- no 5xx but a documented 503, every status documented, content type, headers (Retry-After…) and
  body as documented (``additionalProperties: false``), invalid data refused with a 4xx, a missing
  or bad merchant key refused (``ignored_auth``), other methods 405 with ``Allow``;
- not ``positive_data_acceptance`` (valid data must answer 2xx): what a valid search is depends on
  rules between parameters (lat with lon, near or lat/lon, page × per_page ≤ 1,000, min_price ≤
  max_price, a cursor the server issued, a place the gazetteer knows) that OpenAPI 3.0 cannot
  express, so schemathesis sends "valid" requests the server rightly answers 400;
- on the ingest endpoints, not ``negative_data_rejection`` either: a batch with a malformed item is
  answered 200, that item ``invalid`` (400) in the results and the others applied, by design (one
  result per item), while the document types the body's items strictly. (Said in the report of
  issue 13's OpenAPI work: the requestBody lives in query_api/ingest.py.)

Seeded and derandomized: the same requests every run. The default run generates a hundred requests
per operation plus the coverage phase's (about 1,900 with the checks' own probes; under a minute
against a running engine on 2 cores); ``-m slow`` 2,000 per operation (about 20,000, 6 minutes).

The app is handed to schemathesis through ``SERVED`` (a WSGI callable the module's fixture points at
the corpus app) because ``schemathesis.pytest.from_fixture`` does not run under pytest 9 (it reads
``request.node._nodeid``, gone there).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings

from indexer.changes import merchant_keys
from query_api.openapi import document

DEFAULT_EXAMPLES = 100
SLOW_EXAMPLES = 2_000


class _Served:
    """The WSGI app schemathesis calls: the corpus app, once the module's fixture has built it."""

    target: Callable[..., Iterable[bytes]] | None = None
    requests = 0  # printed at the end of the module (pytest -s): what a run sent

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        assert self.target is not None, "the auth fixture sets the app"
        self.requests += 1
        return self.target(environ, start_response)


SERVED = _Served()
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 13,
        "generation": {"mode": "all", "deterministic": True, "database": "none"},
        "checks": {
            "positive_data_acceptance": {"enabled": False},
            # 413 is how the ingest endpoints refuse more than 1,000 items (maxItems).
            "negative_data_rejection": {
                "expected-statuses": ["400", "401", "403", "404", "405", "413", "415"]
            },
        },
        "operations": [
            {"include-path-regex": "^/v1/ingest/", "checks": {"negative_data_rejection": {"enabled": False}}}
        ],
    }
)
schema = schemathesis.openapi.from_dict(document(), config=CONFIG)
schema.app = SERVED


@schemathesis.serializer("application/x-ndjson")
def _ndjson(_ctx: Any, value: Any) -> bytes:
    """/v1/ingest/changes' lines: the document's string as sent, any other value as one JSON line."""
    return (value if isinstance(value, str) else json.dumps(value)).encode()


@pytest.fixture(scope="module")
def auth(app: Flask, es, api_settings) -> Iterator[dict[str, str]]:
    """The corpus app behind SERVED, and a key of one of its merchants (m-tr-05) for ingest."""
    SERVED.target, SERVED.requests = app, 0
    yield {"Authorization": f"ApiKey {merchant_keys.create(es, api_settings, 'm-tr-05')}"}
    SERVED.target = None
    print(f"\nschemathesis sent {SERVED.requests} requests")


@schema.parametrize()
@settings(max_examples=DEFAULT_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])  # fmt: skip
def test_the_api_answers_as_its_document_says(case: schemathesis.Case, auth: dict[str, str]):
    case.call_and_validate(headers=auth)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=SLOW_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])  # fmt: skip
def test_the_api_answers_as_its_document_says_at_length(case: schemathesis.Case, auth: dict[str, str]):
    case.call_and_validate(headers=auth)
