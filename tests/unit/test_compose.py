"""docker-compose.yml read as data.

Docker is not available where Panier is developed, so the stack is never started here. These
tests hold the file to the facts the rest of the project relies on: the engine version of the
local runner, the client's major version, the settings the API reads, the synonyms file, the start
order (healthchecks and depends_on conditions), what the one-shot `setup` runs and which
credentials each service gets.
"""

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from panier_core.security import KEY_FILES

REPO = Path(__file__).resolve().parents[2]
ES_CONFIG_DIR = "/usr/share/elasticsearch/config"
SYNONYMS_TARGET = f"{ES_CONFIG_DIR}/analysis/synonyms_fr.txt"


def _read_es_version() -> str:
    pom = (REPO / "local_es" / "runner" / "pom.xml").read_text(encoding="utf-8")
    match = re.search(r"<es\.version>\s*([0-9][^<\s]*)\s*</es\.version>", pom)
    assert match, "local_es/runner/pom.xml has no <es.version> property"
    return match.group(1)


ES_VERSION = _read_es_version()
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict = COMPOSE["services"]
DEFAULT_SERVICES = ("elasticsearch", "kibana-password", "kibana", "setup", "api", "ingest")
SECRETS_DIR = "/var/lib/panier"  # where `setup` writes the API keys; the Dockerfile creates it


def environment(service: dict) -> dict[str, str]:
    """A service's environment as a dict, whether written as a mapping or as KEY=VALUE lines."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def image_tag(service: dict) -> tuple[str, str]:
    repository, _, tag = service["image"].rpartition(":")
    return repository, tag


def published_ports(service: dict) -> set[int]:
    ports = set()
    for port in service.get("ports", []):
        if isinstance(port, dict):
            ports.add(int(port["published"]))
        else:
            # "[host_ip:]published:target[/protocol]"
            parts = str(port).split("/")[0].split(":")
            assert len(parts) >= 2, f"port {port!r} is not published to the host"
            ports.add(int(parts[-2]))
    return ports


def bind_mounts(service: dict) -> dict[str, str]:
    """target -> host source of the service's bind mounts (named volumes left out)."""
    mounts = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            if volume.get("type") == "bind":
                mounts[volume["target"]] = volume["source"]
            continue
        source, target = str(volume).split(":")[:2]
        if source.startswith((".", "/")):
            mounts[target] = source
    return mounts


def is_read_only(service: dict, target: str) -> bool:
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            if volume.get("target") == target:
                return bool(volume.get("read_only"))
            continue
        parts = str(volume).split(":")
        if len(parts) >= 2 and parts[1] == target:
            return len(parts) >= 3 and "ro" in parts[2].split(",")
    return False


def depends_on(service: dict) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: spec.get("condition", "service_started") for name, spec in deps.items()}


def profiles(service: dict) -> list[str]:
    return list(service.get("profiles") or [])


def script(service: dict) -> str:
    """The shell script a service runs (`sh -c <script>`), or its command joined."""
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def named_volume_mounts(service: dict) -> dict[str, tuple[str, bool]]:
    """target -> (named volume, read-only) for the service's named-volume mounts."""
    mounts = {}
    for volume in service.get("volumes", []):
        parts = str(volume).split(":")
        if len(parts) >= 2 and not parts[0].startswith((".", "/")):
            mounts[parts[1]] = (parts[0], len(parts) >= 3 and "ro" in parts[2].split(","))
    return mounts


def is_elasticsearch_node(name: str, service: dict) -> bool:
    """Runs the Elasticsearch image as a node (one-shot helpers reuse the image for scripts)."""
    repository = image_tag(service)[0] if "image" in service else ""
    return repository == "docker.elastic.co/elasticsearch/elasticsearch" and name not in one_shot_services()


def one_shot_services() -> set[str]:
    """Services that others wait for to exit successfully: they are not meant to keep running."""
    return {
        name
        for service in SERVICES.values()
        for name, condition in depends_on(service).items()
        if condition == "service_completed_successfully"
    }


def elasticsearch_client_major_bounds() -> tuple[int, int]:
    """(lowest major allowed, highest major allowed) by the `elasticsearch` requirement."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = [
        dep
        for dep in pyproject["project"]["dependencies"]
        if re.match(r"elasticsearch\s*(\[[^\]]*\])?\s*([<>=!~]|$)", dep)
    ]
    assert len(requirements) == 1, f"expected one `elasticsearch` requirement, got {requirements}"
    lower = re.search(r">=\s*(\d+)", requirements[0])
    upper = re.search(r"<\s*(\d+)(?:\.0)*\s*(?:,|$)", requirements[0])
    assert lower and upper, f"{requirements[0]!r} should pin both a >= and a < major bound"
    return int(lower.group(1)), int(upper.group(1)) - 1


def test_default_stack_has_elasticsearch_kibana_setup_and_the_two_apis():
    for name in DEFAULT_SERVICES:
        assert name in SERVICES, f"service {name!r} missing"
        assert not profiles(SERVICES[name]), f"{name!r} must start with a plain `docker compose up`"


def test_compose_file_uses_the_compose_spec_without_version_key():
    assert "version" not in COMPOSE


def test_elasticsearch_and_kibana_images_match_the_local_runner_version():
    assert image_tag(SERVICES["elasticsearch"]) == (
        "docker.elastic.co/elasticsearch/elasticsearch",
        ES_VERSION,
    )
    assert image_tag(SERVICES["kibana"]) == ("docker.elastic.co/kibana/kibana", ES_VERSION)


def test_every_elastic_image_in_the_file_has_the_same_version():
    elastic = {name: s for name, s in SERVICES.items() if s.get("image", "").startswith("docker.elastic.co/")}
    assert len(elastic) >= 3
    assert {name: image_tag(s)[1] for name, s in elastic.items()} == dict.fromkeys(elastic, ES_VERSION)


def test_elasticsearch_major_matches_the_python_client_pin():
    es_major = int(ES_VERSION.split(".")[0])
    assert elasticsearch_client_major_bounds() == (es_major, es_major)


@pytest.mark.parametrize(
    ("service", "port"), [("elasticsearch", 9200), ("kibana", 5601), ("api", 8000), ("ingest", 8001)]
)
def test_service_port_is_published_to_the_host(service, port):
    assert port in published_ports(SERVICES[service])


def test_every_long_running_service_has_a_healthcheck():
    one_shots = one_shot_services()
    assert {"kibana-password", "setup"} <= one_shots
    for name, service in SERVICES.items():
        if name in one_shots:
            continue
        check = service.get("healthcheck")
        assert check, f"{name!r} has no healthcheck"
        assert not check.get("disable") and check.get("test") not in (["NONE"], "NONE"), name


def test_elasticsearch_healthcheck_waits_for_yellow_as_the_elastic_user():
    test = " ".join(SERVICES["elasticsearch"]["healthcheck"]["test"])
    assert "_cluster/health?wait_for_status=yellow" in test
    assert "-u" in test and "elastic:" in test


def test_default_elasticsearch_is_a_secured_single_node():
    env = environment(SERVICES["elasticsearch"])
    assert env["discovery.type"] == "single-node"
    assert env["ES_JAVA_OPTS"] == "-Xms1g -Xmx1g"
    assert env["xpack.security.enabled"] == "true"
    assert env["xpack.security.http.ssl.enabled"] == "false"
    assert "${ELASTIC_PASSWORD" in env["ELASTIC_PASSWORD"]
    assert SERVICES["elasticsearch"]["ulimits"]["memlock"] == {"soft": -1, "hard": -1}


def test_kibana_logs_in_as_kibana_system_after_its_password_was_set():
    kibana = SERVICES["kibana"]
    env = environment(kibana)
    # Kibana 8 refuses to start as the `elastic` superuser.
    assert env["ELASTICSEARCH_USERNAME"] == "kibana_system"
    assert "${KIBANA_PASSWORD" in env["ELASTICSEARCH_PASSWORD"]
    assert urlsplit(env["ELASTICSEARCH_HOSTS"]).hostname == "elasticsearch"
    assert depends_on(kibana) == {
        "elasticsearch": "service_healthy",
        "kibana-password": "service_completed_successfully",
    }
    assert "/api/status" in " ".join(kibana["healthcheck"]["test"])
    assert "/_security/user/kibana_system/_password" in script(SERVICES["kibana-password"])


def test_one_shot_services_are_never_restarted():
    for name in one_shot_services():
        assert SERVICES[name].get("restart") == "no", name


def test_dependencies_exist_and_default_services_never_wait_for_a_profile():
    for name, service in SERVICES.items():
        for dependency in depends_on(service):
            assert dependency in SERVICES, f"{name} depends on unknown {dependency!r}"
            if not profiles(service):
                assert not profiles(SERVICES[dependency]), f"{name} waits for a profiled service"


def test_start_order_is_engine_then_kibana_then_setup_then_the_apis():
    assert depends_on(SERVICES["kibana-password"]) == {"elasticsearch": "service_healthy"}
    assert depends_on(SERVICES["setup"]) == {"elasticsearch": "service_healthy", "kibana": "service_healthy"}
    for api in ("api", "ingest"):
        assert depends_on(SERVICES[api]) == {
            "elasticsearch": "service_healthy",
            "setup": "service_completed_successfully",
        }, api


def test_setup_creates_indices_loads_sample_data_secures_then_imports_kibana_objects():
    steps = script(SERVICES["setup"])
    order = ["panier init", "panier sample", "panier reindex all", "panier es setup-security",
             "panier kibana import"]  # fmt: skip
    positions = [steps.find(step) for step in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions)
    assert f"--keys-dir {SECRETS_DIR}" in steps
    # First run only: the sample data is not loaded, nor keys created, again on every `up`.
    assert "sample-loaded" in steps
    assert all(KEY_FILES[purpose] in steps for purpose in KEY_FILES)


def test_only_setup_and_the_engine_side_services_know_the_elastic_password():
    env = environment(SERVICES["setup"])
    assert env["PANIER_ES_USERNAME"] == "elastic"
    assert "${ELASTIC_PASSWORD" in env["PANIER_ES_PASSWORD"]
    assert urlsplit(env["PANIER_KIBANA_URL"])[:2] == ("http", "kibana:5601")
    holders = {
        name
        for name, service in SERVICES.items()
        if not profiles(service) and any("${ELASTIC_PASSWORD" in v for v in environment(service).values())
    }
    assert holders == {"elasticsearch", "kibana-password", "setup"}


@pytest.mark.parametrize(("service", "purpose", "port", "part"), [
    ("api", "query-api", 8000, "search"), ("ingest", "indexer", 8001, "ingest"),
])  # fmt: skip
def test_each_api_runs_panier_serve_with_its_own_api_key_from_the_setup_volume(service, purpose, port, part):
    definition = SERVICES[service]
    env = environment(definition)
    url = urlsplit(env["PANIER_ES_URL"])
    assert (url.scheme, url.hostname, url.port) == ("http", "elasticsearch", 9200)
    assert "PANIER_ES_USERNAME" not in env and "PANIER_ES_PASSWORD" not in env
    assert env["PANIER_API"] == part
    command = script(definition)
    # $$ is Compose's escape for a $ the container's shell expands.
    assert f'PANIER_ES_API_KEY="$$(cat {SECRETS_DIR}/{KEY_FILES[purpose]})"' in command
    assert f"exec panier serve --host 0.0.0.0 --port {port}" in command
    secrets = named_volume_mounts(SERVICES["setup"])[SECRETS_DIR][0]
    assert named_volume_mounts(definition)[SECRETS_DIR] == (secrets, True)
    assert secrets in COMPOSE["volumes"]


def test_api_healthchecks_ask_endpoints_that_need_no_credentials():
    assert "http://localhost:8000/v1/health" in " ".join(SERVICES["api"]["healthcheck"]["test"])
    assert "http://localhost:8001/metrics" in " ".join(SERVICES["ingest"]["healthcheck"]["test"])


def test_every_panier_service_uses_the_same_image_and_index_prefix():
    panier = {name: s for name, s in SERVICES.items() if "build" in s}
    assert set(panier) == {"setup", "api", "ingest"}
    assert {s["image"] for s in panier.values()} == {"panier:local"}
    # Aliases, roles and Kibana data views all follow the prefix: one value for the whole stack.
    assert len({environment(s)["PANIER_INDEX_PREFIX"] for s in panier.values()}) == 1


def test_the_image_prepares_the_secrets_directory_for_its_unprivileged_user():
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert f"mkdir -p {SECRETS_DIR} && chown panier {SECRETS_DIR}" in dockerfile
    assert "USER panier" in dockerfile


def test_docs_describe_every_default_service():
    docs = (REPO / "docs" / "docker.md").read_text(encoding="utf-8")
    for name in DEFAULT_SERVICES:
        assert f"`{name}`" in docs, name


def test_api_is_built_from_the_repository_dockerfile():
    build = SERVICES["api"]["build"]
    context = build if isinstance(build, str) else build.get("context", ".")
    dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
    assert (REPO / context / dockerfile).is_file()


def test_every_elasticsearch_node_mounts_the_synonyms_file_read_only():
    nodes = {name: s for name, s in SERVICES.items() if is_elasticsearch_node(name, s)}
    assert "elasticsearch" in nodes
    for name, service in nodes.items():
        source = bind_mounts(service).get(SYNONYMS_TARGET)
        assert source, f"{name!r} does not mount {SYNONYMS_TARGET}"
        assert (REPO / source).resolve() == REPO / "mappings" / "synonyms_fr.txt", name
        assert is_read_only(service, SYNONYMS_TARGET), f"{name!r} mounts the synonyms file writable"


def test_synonyms_file_mounted_into_elasticsearch_exists_in_the_repo():
    source = bind_mounts(SERVICES["elasticsearch"])[SYNONYMS_TARGET]
    assert (REPO / source).is_file(), f"{source} is missing"


def test_cluster_profile_defines_three_nodes_that_name_each_other_as_initial_masters():
    nodes = {
        name: environment(s)
        for name, s in SERVICES.items()
        if is_elasticsearch_node(name, s) and "cluster" in profiles(s)
    }
    assert len(nodes) == 3, f"the `cluster` profile should hold three nodes, got {sorted(nodes)}"
    node_names = {env["node.name"] for env in nodes.values()}
    assert len(node_names) == 3
    assert len({env["cluster.name"] for env in nodes.values()}) == 1
    for name, env in nodes.items():
        assert env.get("discovery.type") != "single-node", name
        assert set(env["cluster.initial_master_nodes"].split(",")) == node_names, name
        # Each node finds the others by their service names on the compose network.
        assert set(env["discovery.seed_hosts"].split(",")) == set(nodes) - {name}, name


def test_cluster_nodes_use_transport_tls_because_security_is_on():
    for name, service in SERVICES.items():
        if is_elasticsearch_node(name, service) and "cluster" in profiles(service):
            env = environment(service)
            assert env["xpack.security.enabled"] == "true", name
            assert env["xpack.security.transport.ssl.enabled"] == "true", name
            assert env["xpack.security.transport.ssl.certificate"] == f"certs/{name}/{name}.crt"


def test_cluster_profile_does_not_take_the_default_ports():
    default_ports = set().union(*(published_ports(s) for s in SERVICES.values() if not profiles(s)))
    cluster_ports = set().union(*(published_ports(s) for s in SERVICES.values() if "cluster" in profiles(s)))
    assert cluster_ports, "the cluster should be reachable from the host"
    assert not default_ports & cluster_ports
