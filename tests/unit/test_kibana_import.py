"""`panier kibana import` against a small local HTTP server standing in for Kibana.

Kibana cannot run here. The server records each request (method, path, query, headers, body) and
answers what the test asks, with the shapes Kibana's saved-objects import API uses: 200 with
``success`` and ``successResults`` or per-object ``errors``, 401/403/404 with a message.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

import kibana
from cli import main

OBJECTS = kibana.load()


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def multipart(self) -> dict[str, tuple[str | None, bytes]]:
        """name -> (filename, content) of each part of a multipart/form-data body."""
        head = f"Content-Type: {self.headers['content-type']}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + self.body)
        assert message.is_multipart()
        return {
            part.get_param("name", header="content-disposition"): (
                part.get_filename(),
                part.get_payload(decode=True),
            )
            for part in message.iter_parts()
        }

    def objects(self) -> list[dict[str, Any]]:
        filename, content = self.multipart()["file"]
        assert filename and filename.endswith(".ndjson")
        return [json.loads(line) for line in content.decode("utf-8").splitlines()]


@dataclass
class FakeKibana:
    url: str
    requests: list[Recorded] = field(default_factory=list)
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"

    def answer(self, status: int, body: Any, content_type: str = "application/json") -> None:
        self.status = status
        self.body = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.content_type = content_type

    def succeed(self, objects: list[dict[str, Any]] = OBJECTS) -> None:
        results = [
            {"type": o["type"], "id": o["id"], "meta": {"title": o["attributes"]["title"]}} for o in objects
        ]
        self.answer(
            200, {"success": True, "successCount": len(results), "successResults": results, "warnings": []}
        )


@pytest.fixture
def fake_kibana() -> Iterator[FakeKibana]:
    fake = FakeKibana(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            parts = urlsplit(self.path)
            fake.requests.append(
                Recorded(
                    "POST",
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
            )
            self.send_response(fake.status)
            self.send_header("Content-Type", fake.content_type)
            self.send_header("Content-Length", str(len(fake.body)))
            self.end_headers()
            self.wfile.write(fake.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    fake.succeed()
    yield fake
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "PANIER_ES_API_KEY", "PANIER_ES_USERNAME", "PANIER_ES_PASSWORD", "PANIER_INDEX_PREFIX",
        "PANIER_KIBANA_URL", "PANIER_KIBANA_SPACE", "PANIER_KIBANA_USERNAME", "PANIER_KIBANA_PASSWORD",
        "PANIER_KIBANA_API_KEY", "PANIER_KIBANA_CA_CERTS",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["kibana", "import", *args], env=env, catch_exceptions=False)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the request ----------------------------------------------------------------------------------


def test_import_posts_every_shipped_object_as_multipart_ndjson_with_the_xsrf_header(fake_kibana):
    result = run("--url", fake_kibana.url, "--username", "elastic", "--password", "s3cret")
    assert result.exit_code == 0, result.output
    [request] = fake_kibana.requests
    assert request.method == "POST"
    assert request.path == "/api/saved_objects/_import"
    assert request.query == {"overwrite": ["true"]}
    assert request.headers["kbn-xsrf"] == "true"
    assert request.headers["authorization"] == basic("elastic", "s3cret")
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert list(request.multipart()) == ["file"]
    assert request.objects() == OBJECTS


def test_summary_counts_the_imported_objects_by_type_and_links_each_dashboard(fake_kibana):
    result = run("--url", fake_kibana.url)
    assert result.exit_code == 0, result.output
    by_type = {t: sum(1 for o in OBJECTS if o["type"] == t) for t in {o["type"] for o in OBJECTS}}
    assert (
        f"Imported {len(OBJECTS)} saved objects into Kibana at {fake_kibana.url} (space default)"
        in result.output
    )
    for kind, n in by_type.items():
        assert f"{n} {kind}" in result.output
    assert f"{fake_kibana.url}/app/dashboards#/view/panier-dashboard-searches" in result.output


def test_a_space_goes_in_the_path_and_in_the_dashboard_links(fake_kibana):
    result = run("--url", fake_kibana.url + "/", "--space", "analytics")
    assert result.exit_code == 0, result.output
    assert fake_kibana.requests[0].path == "/s/analytics/api/saved_objects/_import"
    assert f"{fake_kibana.url}/s/analytics/app/dashboards#/view/panier-dashboard-merchants" in result.output


def test_a_base_path_in_the_url_is_kept(fake_kibana):
    run("--url", fake_kibana.url + "/kibana")
    assert fake_kibana.requests[0].path == "/kibana/api/saved_objects/_import"


def test_api_key_goes_in_the_authorization_header(fake_kibana):
    run("--url", fake_kibana.url, "--api-key", "aWQ6c2VjcmV0")
    assert fake_kibana.requests[0].headers["authorization"] == "ApiKey aWQ6c2VjcmV0"


def test_everything_can_come_from_the_environment(fake_kibana):
    env = {
        "PANIER_KIBANA_URL": fake_kibana.url,
        "PANIER_KIBANA_SPACE": "ops",
        "PANIER_KIBANA_USERNAME": "analyst",
        "PANIER_KIBANA_PASSWORD": "pw",
    }
    assert run(env=env).exit_code == 0
    request = fake_kibana.requests[0]
    assert request.path == "/s/ops/api/saved_objects/_import"
    assert request.headers["authorization"] == basic("analyst", "pw")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PANIER_ES_USERNAME": "elastic", "PANIER_ES_PASSWORD": "pw"}, basic("elastic", "pw")),
        ({"PANIER_ES_API_KEY": "ZXM6a2V5"}, "ApiKey ZXM6a2V5"),
    ],
)
def test_credentials_default_to_the_elasticsearch_ones(fake_kibana, env, expected):
    assert run("--url", fake_kibana.url, env=env).exit_code == 0
    assert fake_kibana.requests[0].headers["authorization"] == expected


def test_without_any_credentials_no_authorization_header_is_sent(fake_kibana):
    run("--url", fake_kibana.url)
    assert "authorization" not in fake_kibana.requests[0].headers


def test_index_prefix_is_put_in_front_of_the_data_view_titles_only(fake_kibana):
    run("--url", fake_kibana.url, env={"PANIER_INDEX_PREFIX": "staging-"})
    sent = fake_kibana.requests[0].objects()
    titles = sorted(o["attributes"]["title"] for o in sent if o["type"] == "index-pattern")
    assert titles == ["staging-logs-panier.search-*", "staging-merchants", "staging-products"]
    others = [o for o in sent if o["type"] != "index-pattern"]
    assert others == [o for o in OBJECTS if o["type"] != "index-pattern"]


def test_from_takes_one_ndjson_file(fake_kibana, tmp_path: Path):
    path = tmp_path / "one.ndjson"
    path.write_text(json.dumps(OBJECTS[0]) + "\n", encoding="utf-8")
    fake_kibana.succeed(OBJECTS[:1])
    result = run("--url", fake_kibana.url, "--from", str(path))
    assert result.exit_code == 0, result.output
    assert fake_kibana.requests[0].objects() == OBJECTS[:1]


def test_no_overwrite_asks_kibana_not_to_overwrite_and_keeps_what_exists(fake_kibana):
    conflicts = [
        {"type": o["type"], "id": o["id"], "meta": {}, "error": {"type": "conflict"}} for o in OBJECTS[:2]
    ]
    fake_kibana.answer(200, {"success": False, "successCount": 0, "errors": conflicts})
    result = run("--url", fake_kibana.url, "--no-overwrite")
    assert fake_kibana.requests[0].query == {"overwrite": ["false"]}
    assert result.exit_code == 0, result.output
    assert "Kept 2 existing object(s) as they were (--no-overwrite)" in result.output


# -- what goes wrong ------------------------------------------------------------------------------


def assert_fails_with(result, *phrases: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for phrase in phrases:
        assert phrase in result.output


def test_connection_refused_says_kibana_cannot_be_reached():
    url = f"http://127.0.0.1:{free_port()}"
    assert_fails_with(run("--url", url), f"cannot reach Kibana at {url} (connection refused)", "--url")


def test_a_url_without_scheme_is_refused_before_any_request():
    assert_fails_with(run("--url", "localhost:5601"), "--url must look like http://host:5601")


def test_a_space_id_kibana_would_refuse_is_refused_before_any_request(fake_kibana):
    assert_fails_with(
        run("--url", fake_kibana.url, "--space", "Mon Espace"), "--space must be a Kibana space id"
    )
    assert fake_kibana.requests == []


def test_401_says_the_credentials_were_refused(fake_kibana):
    fake_kibana.answer(401, {"statusCode": 401, "error": "Unauthorized", "message": "Unauthorized"})
    assert_fails_with(run("--url", fake_kibana.url, "--username", "elastic", "--password", "wrong"),
                      "Kibana refused the credentials (401", "--username/--password or --api-key")  # fmt: skip


def test_403_says_which_privilege_is_missing(fake_kibana):
    fake_kibana.answer(
        403, {"statusCode": 403, "error": "Forbidden", "message": "Unable to bulk_create lens"}
    )
    assert_fails_with(run("--url", fake_kibana.url, "--space", "ops"),
                      "denied the import into space 'ops' (403: Unable to bulk_create lens)",
                      "the Kibana `all` privilege")  # fmt: skip


def test_404_points_at_the_url_or_a_missing_space(fake_kibana):
    fake_kibana.answer(404, {"statusCode": 404, "error": "Not Found", "message": "Not Found"})
    assert_fails_with(run("--url", fake_kibana.url, "--space", "nowhere"),
                      "no saved-objects import API at", "the space 'nowhere' exists")  # fmt: skip


def test_a_server_error_is_reported_with_kibanas_message(fake_kibana):
    fake_kibana.answer(503, {"statusCode": 503, "message": "Kibana server is not ready yet"})
    assert_fails_with(run("--url", fake_kibana.url), "answered 503: Kibana server is not ready yet")


def test_success_false_lists_every_refused_object_and_why(fake_kibana):
    errors = [
        {"type": "lens", "id": "panier-lens-x", "meta": {"title": "Lens X"},
         "error": {"type": "missing_references", "references": [{"type": "index-pattern", "id": "gone"}]}},
        {"type": "map", "id": "panier-map-y", "meta": {"title": "Map Y"},
         "error": {"type": "unknown", "message": "Document has a typeMigrationVersion newer than this Kibana"}},
        {"type": "dashboard", "id": "panier-dashboard-z", "meta": {}, "error": {"type": "conflict"}},
    ]  # fmt: skip
    fake_kibana.answer(200, {"success": False, "successCount": 25, "successResults": [], "errors": errors})
    assert_fails_with(
        run("--url", fake_kibana.url),
        "Kibana imported 25 object(s) and refused 3:",
        "lens panier-lens-x (Lens X): refers to objects that exist neither in the file nor in Kibana: "
        "index-pattern gone",
        "map panier-map-y (Map Y): unknown: Document has a typeMigrationVersion newer than this Kibana",
        "dashboard panier-dashboard-z: already exists",
    )


def test_an_answer_that_is_not_json_is_not_taken_for_kibana(fake_kibana):
    fake_kibana.answer(200, b"<html>nginx</html>", content_type="text/html")
    assert_fails_with(run("--url", fake_kibana.url), "not JSON: is it Kibana?")


def test_api_key_and_username_together_are_a_usage_error(fake_kibana):
    result = run("--url", fake_kibana.url, "--api-key", "k", "--username", "u", "--password", "p")
    assert result.exit_code == 2
    assert "either --api-key or --username/--password" in result.output
    assert fake_kibana.requests == []


def test_a_bad_ndjson_line_is_named_before_anything_is_sent(fake_kibana, tmp_path: Path):
    path = tmp_path / "broken.ndjson"
    path.write_text(json.dumps(OBJECTS[0]) + "\n{not json\n", encoding="utf-8")
    assert_fails_with(run("--url", fake_kibana.url, "--from", str(path)), f"{path}:2: not JSON")
    assert fake_kibana.requests == []
