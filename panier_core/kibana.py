"""Load the saved objects under kibana/ through Kibana's import API (``panier kibana import``).

Kibana's saved-objects import (``POST [/s/<space>]/api/saved_objects/_import``) takes one
multipart file of NDJSON and the ``kbn-xsrf`` header. It imports what it can and answers 200 with
``success: false`` and one error per object it refused (conflict, missing reference, unknown
type), so a 200 is not enough: the answer is read and every refusal reported.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

import kibana as saved_objects
from panier_core.settings import Settings

DEFAULT_URL = "http://127.0.0.1:5601"
DEFAULT_SPACE = "default"
# Data views over our aliases and the search events' stream: PANIER_INDEX_PREFIX applies to them.
PREFIXED_TITLES = ("merchants", "products", "logs-panier.search-*")
_SPACE_RE = re.compile(r"^[a-z0-9_-]+$")


class KibanaError(Exception):
    """Kibana could not be reached or refused the import; the message says what to do."""


@dataclass(frozen=True)
class Credentials:
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"ApiKey {self.api_key}"} if self.api_key else {}

    def basic(self) -> tuple[str, str] | None:
        if self.api_key or not self.username:
            return None
        return (self.username, self.password or "")


def credentials(
    username: str | None, password: str | None, api_key: str | None, settings: Settings
) -> Credentials:
    """The credentials given, else the Elasticsearch ones: Kibana's users are Elasticsearch users."""
    if api_key or username:
        return Credentials(username=username, password=password, api_key=api_key)
    if settings.es_api_key:
        return Credentials(api_key=settings.es_api_key)
    if settings.es_username:
        return Credentials(username=settings.es_username, password=settings.es_password)
    return Credentials()


@dataclass
class ImportReport:
    imported: Counter = field(default_factory=Counter)  # saved-object type -> count
    errors: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already there, left alone (--no-overwrite)
    warnings: list[str] = field(default_factory=list)
    dashboards: list[tuple[str, str]] = field(default_factory=list)  # (title, URL) of each imported

    @property
    def total(self) -> int:
        return sum(self.imported.values())


def source_files(source: Path | None = None) -> list[Path]:
    """The NDJSON files to import: ``source`` (a file, or a directory's ``*.ndjson``), else kibana/'s.

    Raises FileNotFoundError when the directory holds no ``.ndjson`` file.
    """
    if source is None:
        return saved_objects.files()
    if source.is_dir():
        paths = sorted(source.glob("*.ndjson"))
        if not paths:
            raise FileNotFoundError(f"no .ndjson file in {source}")
        return paths
    return [source]


def import_files(
    url: str,
    paths: list[Path],
    *,
    index_prefix: str = "",
    space: str = DEFAULT_SPACE,
    overwrite: bool = True,
    credentials: Credentials | None = None,
    ca_certs: str | None = None,
    timeout: float = 30.0,
) -> ImportReport:
    """Import the saved objects of ``paths``, their data views pointed at the prefixed aliases.

    Raises KibanaError, before anything is sent, when a file cannot be read or none holds an object.
    """
    try:
        objects = [o for path in paths for o in saved_objects.read(path)]
    except (OSError, ValueError) as e:
        raise KibanaError(str(e)) from e
    if not objects:
        raise KibanaError(f"no saved objects in {', '.join(map(str, paths))}")
    objects = with_index_prefix(objects, index_prefix)
    report = import_objects(
        url, to_ndjson(objects), space=space, overwrite=overwrite, credentials=credentials,
        ca_certs=ca_certs, timeout=timeout,
    )  # fmt: skip
    report.dashboards = dashboard_links(url, space, objects)
    return report


def import_url(url: str, space: str = DEFAULT_SPACE) -> str:
    """The import endpoint for ``space`` under the Kibana base ``url`` (which may carry a base path)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KibanaError(f"--url must look like http://host:5601 (http or https), got {url!r}")
    if parts.query or parts.fragment:
        raise KibanaError(f"--url is Kibana's base address, without ?query or #fragment; got {url!r}")
    if not _SPACE_RE.match(space):
        raise KibanaError(f"--space must be a Kibana space id (a-z, 0-9, '_', '-'), got {space!r}")
    base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    prefix = "" if space == DEFAULT_SPACE else f"/s/{space}"
    return f"{base}{prefix}/api/saved_objects/_import"


def with_index_prefix(objects: list[dict[str, Any]], index_prefix: str) -> list[dict[str, Any]]:
    """Copies of ``objects`` whose data views point at the prefixed aliases and stream."""
    if not index_prefix:
        return objects
    result = []
    for obj in objects:
        if obj["type"] == "index-pattern" and obj["attributes"].get("title") in PREFIXED_TITLES:
            obj = {
                **obj,
                "attributes": {**obj["attributes"], "title": index_prefix + obj["attributes"]["title"]},
            }
        result.append(obj)
    return result


def to_ndjson(objects: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects).encode("utf-8")


def import_objects(
    url: str,
    ndjson: bytes,
    *,
    space: str = DEFAULT_SPACE,
    overwrite: bool = True,
    credentials: Credentials | None = None,
    ca_certs: str | None = None,
    timeout: float = 30.0,
) -> ImportReport:
    """POST ``ndjson`` to Kibana's import API; raises KibanaError unless every object was imported."""
    endpoint = import_url(url, space)
    credentials = credentials or Credentials()
    try:
        response = requests.post(
            endpoint,
            params={"overwrite": "true" if overwrite else "false"},
            files={"file": ("panier.ndjson", ndjson, "application/ndjson")},
            headers={"kbn-xsrf": "true", **credentials.headers()},
            auth=credentials.basic(),
            verify=ca_certs or True,
            timeout=timeout,
        )
    except requests.exceptions.SSLError as e:
        raise KibanaError(
            f"TLS verification of {url} failed ({_reason(e)}); pass its CA bundle with --ca-certs"
        ) from e
    except requests.exceptions.Timeout as e:
        raise KibanaError(f"Kibana at {url} did not answer within {timeout:g} s") from e
    except requests.exceptions.ConnectionError as e:
        raise KibanaError(
            f"cannot reach Kibana at {url} ({_reason(e)}); is it running? (set --url or PANIER_KIBANA_URL)"
        ) from e
    except requests.exceptions.RequestException as e:
        raise KibanaError(f"cannot send the import to {endpoint}: {e}") from e
    return _read_answer(response, url=url, space=space, overwrite=overwrite)


def _read_answer(response: requests.Response, *, url: str, space: str, overwrite: bool) -> ImportReport:
    status = response.status_code
    message = _message(response)
    if status == 401:
        raise KibanaError(
            f"Kibana refused the credentials (401: {message}); check --username/--password or --api-key "
            "(PANIER_KIBANA_USERNAME/PANIER_KIBANA_PASSWORD, PANIER_KIBANA_API_KEY)"
        )
    if status == 403:
        raise KibanaError(
            f"Kibana denied the import into space {space!r} (403: {message}); the user needs write "
            "access to dashboards, visualizations, maps and data views in that space (the Kibana "
            "`all` privilege) or the superuser role"
        )
    if status == 404:
        raise KibanaError(
            f"no saved-objects import API at {response.url.split('?')[0]} (404): "
            f"check --url, and that the space {space!r} exists"
        )
    if status >= 400:
        raise KibanaError(f"Kibana at {url} answered {status}: {message}")
    try:
        body = response.json()
    except ValueError:
        raise KibanaError(f"{url} answered {status} with something that is not JSON: is it Kibana?") from None
    if not isinstance(body, dict) or "success" not in body:
        raise KibanaError(f"{url} answered {status} without an import result: is it Kibana?")
    report = ImportReport(
        imported=Counter(item.get("type", "?") for item in body.get("successResults") or []),
        warnings=[str(w.get("message", w)) for w in body.get("warnings") or []],
    )
    if not report.imported and body.get("successCount"):
        report.imported["object"] = int(body["successCount"])
    for error in body.get("errors") or []:
        if (error.get("error") or {}).get("type") == "conflict" and not overwrite:
            report.kept.append(f"{error.get('type', '?')} {error.get('id', '?')}")
        else:
            report.errors.append(_describe(error))
    if report.errors or (not body["success"] and not report.kept):
        lines = "\n".join(f"  {line}" for line in report.errors) or "  (no details given)"
        raise KibanaError(
            f"Kibana imported {report.total} object(s) and refused {len(report.errors)}:\n{lines}"
        )
    return report


def _describe(error: dict[str, Any]) -> str:
    what = f"{error.get('type', '?')} {error.get('id', '?')}"
    title = error.get("meta", {}).get("title") or error.get("title")
    if title:
        what += f" ({title})"
    detail = error.get("error") or {}
    kind = detail.get("type", "unknown")
    if kind == "conflict":
        return f"{what}: already exists"
    if kind == "missing_references":
        missing = ", ".join(f"{r.get('type')} {r.get('id')}" for r in detail.get("references") or [])
        return f"{what}: refers to objects that exist neither in the file nor in Kibana: {missing}"
    if kind == "unsupported_type":
        return f"{what}: this Kibana does not know the type (is it older than 8.x?)"
    return f"{what}: {kind}: {detail.get('message') or detail.get('reason') or json.dumps(detail)}"


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return (response.text or response.reason or "").strip()[:200]
    if isinstance(body, dict):
        return str(body.get("message") or body.get("error") or body)[:300]
    return str(body)[:300]


def _reason(error: Exception) -> str:
    text = str(error)
    for known, said in (
        ("Connection refused", "connection refused"),
        ("Name or service not known", "unknown host"),
        ("nodename nor servname", "unknown host"),
        ("No route to host", "no route to host"),
        ("certificate verify failed", "certificate verify failed"),
    ):
        if known in text:
            return said
    return type(error).__name__


def dashboard_links(url: str, space: str, objects: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(title, URL) of each dashboard in ``objects``, for the summary."""
    base = url.strip().rstrip("/") + ("" if space == DEFAULT_SPACE else f"/s/{space}")
    return [
        (o["attributes"].get("title", o["id"]), f"{base}/app/dashboards#/view/{o['id']}")
        for o in objects
        if o["type"] == "dashboard"
    ]
