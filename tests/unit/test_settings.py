"""Settings come from environment variables with sensible defaults, and bad values are named."""

import re
from pathlib import Path

import pytest
from elasticsearch.serializer import OrjsonSerializer

from panier_core.engine import OrjsonNdjsonSerializer, build_client
from panier_core.settings import DEFAULT_ES_URL, VARIABLES, Settings, SettingsError


def test_defaults_point_at_a_local_engine_with_plain_aliases():
    s = Settings.from_env({})
    assert s.es_url == DEFAULT_ES_URL == "http://127.0.0.1:9200"
    assert s.alias("merchants") == "merchants"
    assert s.es_api_key is None and s.es_username is None
    assert s.local_es_heap == "1g"


def test_every_documented_variable_is_read(tmp_path):
    ca = tmp_path / "ca.crt"
    ca.write_text("x")
    s = Settings.from_env(
        {
            "PANIER_ES_URL": "https://search.example:9243",
            "PANIER_ES_API_KEY": "abc",
            "PANIER_ES_USERNAME": "panier",
            "PANIER_ES_PASSWORD": "secret",
            "PANIER_ES_CA_CERTS": str(ca),
            "PANIER_INDEX_PREFIX": "staging-",
            "PANIER_ES_TIMEOUT": "2.5",
            "PANIER_ES_MAX_RETRIES": "0",
            "PANIER_ES_HOME": str(tmp_path / "home"),
            "PANIER_ES_DATA": str(tmp_path / "data"),
            "PANIER_ES_HEAP": "2g",
        }
    )
    assert s.es_url == "https://search.example:9243"
    assert (s.es_api_key, s.es_username, s.es_password, s.es_ca_certs) == ("abc", "panier", "secret", str(ca))
    assert s.alias("products") == "staging-products"
    assert (s.request_timeout, s.max_retries) == (2.5, 0)
    assert s.local_es_home == tmp_path / "home" and s.local_es_data == tmp_path / "data"
    assert s.local_es_heap == "2g"
    assert "secret" not in repr(s)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PANIER_ES_URL": "localhost:9200"}, "PANIER_ES_URL must start with http"),
        ({"PANIER_INDEX_PREFIX": "Prod_"}, "PANIER_INDEX_PREFIX must be lowercase"),
        ({"PANIER_INDEX_PREFIX": "-x"}, "PANIER_INDEX_PREFIX"),
        ({"PANIER_ES_USERNAME": "elastic"}, "set both PANIER_ES_USERNAME and PANIER_ES_PASSWORD"),
        ({"PANIER_ES_CA_CERTS": "/nonexistent/ca.crt"}, "no such file"),
        ({"PANIER_ES_TIMEOUT": "soon"}, "PANIER_ES_TIMEOUT='soon' is not a float"),
        ({"PANIER_ES_MAX_RETRIES": "-1"}, "PANIER_ES_MAX_RETRIES must be ≥ 0"),
        ({"PANIER_ES_HEAP": "lots"}, "PANIER_ES_HEAP must look like"),
        ({"PANIER_ANALYTICS": "maybe"}, "PANIER_ANALYTICS must be on or off"),
        ({"PANIER_ANALYTICS_ES_URL": "localhost:9200"}, "PANIER_ANALYTICS_ES_URL must start with http"),
        ({"PANIER_ANALYTICS_QUEUE_SIZE": "0"}, "PANIER_ANALYTICS_QUEUE_SIZE must be ≥ 1"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_the_client_uses_the_api_key_before_basic_auth():
    client = build_client(Settings(es_api_key="a2V5", es_username="u", es_password="p"))
    assert client._headers["authorization"] == "ApiKey a2V5"
    client.close()


def test_the_client_uses_basic_auth_and_bounded_timeouts():
    client = build_client(Settings(es_username="u", es_password="p", request_timeout=3.0, max_retries=2))
    assert client._headers["authorization"].startswith("Basic ")
    assert client._request_timeout == 3.0
    assert client._max_retries == 2 and client._retry_on_timeout is True
    client.close()


def test_the_local_engine_home_defaults_to_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert Settings.from_env({}).local_es_home == Path(tmp_path) / "panier" / "elasticsearch"


def test_analytics_are_on_from_the_environment_and_off_for_settings_built_in_code():
    assert Settings.from_env({}).analytics is True
    assert Settings().analytics is False  # tests and scripts write no events unless they ask
    s = Settings.from_env(
        {
            "PANIER_ANALYTICS": "OFF",
            "PANIER_ANALYTICS_ES_URL": "http://stats:9200",
            "PANIER_ANALYTICS_QUEUE_SIZE": "50",
        }
    )
    assert (s.analytics, s.analytics_es_url, s.analytics_queue_size) == (False, "http://stats:9200", 50)
    assert Settings.from_env({"PANIER_ANALYTICS": "on"}).analytics_queue_size == 10_000


def test_the_client_reads_and_writes_json_with_orjson():
    client = build_client(Settings())
    serializers = client.transport.serializers
    assert serializers.dumps({"q": "érable"}, "application/json") == '{"q":"érable"}'.encode()
    lines = serializers.dumps([{"index": "p"}, {"size": 0}], "application/x-ndjson")
    assert lines == b'{"index":"p"}\n{"size":0}\n'
    for mimetype in ("application/json", "application/vnd.elasticsearch+json; compatible-with=8"):
        assert type(serializers.get_serializer(mimetype)) is OrjsonSerializer
    for mimetype in ("application/x-ndjson", "application/vnd.elasticsearch+x-ndjson; compatible-with=8"):
        assert type(serializers.get_serializer(mimetype)) is OrjsonNdjsonSerializer
    client.close()


README = Path(__file__).parents[2] / "README.md"
# In the Configuration table but not a setting: prometheus_client reads it from the process
# environment when first imported, and `panier serve` chooses it (and sets it) before that import,
# so it cannot come from a Settings object passed down.
NOT_SETTINGS = {"PROMETHEUS_MULTIPROC_DIR"}


def _configuration_table() -> dict[str, str]:
    """Each variable of the README's Configuration table and its default as the table shows it."""
    section = README.read_text(encoding="utf-8").split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    table = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue  # not a row of variables (the header, its rule, prose)
        names = re.findall(r"`([^`]+)`", cells[0])
        defaults = re.findall(r"`([^`]+)`", cells[1]) or [cells[1]]
        if len(defaults) == 1:
            defaults *= len(names)  # one default for the row, e.g. "–" for username and password
        assert len(defaults) == len(names), f"one default per variable, or one for all: {line}"
        table.update(zip(names, defaults, strict=True))
    return table


def test_the_readme_configuration_table_lists_every_setting_and_only_settings():
    table = _configuration_table()
    assert set(table) >= NOT_SETTINGS  # the exception is still documented
    assert set(table) - NOT_SETTINGS == {v.name for v in VARIABLES}


def test_the_readme_configuration_table_shows_each_setting_s_default():
    table = _configuration_table()
    assert {v.name: table.get(v.name) for v in VARIABLES} == {v.name: v.default for v in VARIABLES}


def test_each_setting_is_declared_once_with_its_help():
    assert len({v.name for v in VARIABLES}) == len(VARIABLES)
    assert {v.attribute for v in VARIABLES} == set(Settings.__dataclass_fields__)
    assert all(v.help for v in VARIABLES)


def test_the_documented_local_engine_home_is_the_default_without_xdg_cache_home(monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    home = next(v for v in VARIABLES if v.attribute == "local_es_home")
    assert Settings.from_env({}).local_es_home == Path(home.default).expanduser()


def test_several_engine_urls_are_read_in_order_without_blanks_or_repeats():
    s = Settings.from_env(
        {"PANIER_ES_URL": " http://es1:9200, http://es2:9200,,http://es1:9200 ,https://es3 "}
    )
    assert s.es_urls == ("http://es1:9200", "http://es2:9200", "https://es3")
    assert Settings.from_env({}).es_urls == (DEFAULT_ES_URL,)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "http://es1:9200,es2:9200",
            r"PANIER_ES_URL must start with http:// or https://, got 'es2:9200' \(in ",
        ),
        (" , ", "PANIER_ES_URL names no engine"),
    ],
)
def test_each_of_several_engine_urls_is_checked(value, message):
    with pytest.raises(SettingsError, match=message):
        Settings(es_url=value).validate()


def test_the_client_gets_every_node_and_no_sniffing():
    client = build_client(Settings(es_url="http://127.0.0.1:9701,http://127.0.0.1:9702", max_retries=2))
    assert sorted(node.base_url for node in client.transport.node_pool.all()) == [
        "http://127.0.0.1:9701",
        "http://127.0.0.1:9702",
    ]
    assert client.transport._sniff_on_start is False and client.transport._sniff_on_node_failure is False
    assert client._max_retries == 2  # a request that cannot connect is retried on another node
    client.close()
