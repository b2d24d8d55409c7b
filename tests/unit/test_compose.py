"""docker-compose.yml read as data.

Docker is not available where Panier is developed, so the stack is never started here. These
tests hold the file to the facts the rest of the project relies on: the engine version of the
local runner, the client's major version, the settings the API reads and the synonyms file.
"""

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

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


def test_default_stack_has_elasticsearch_kibana_and_api():
    for name in ("elasticsearch", "kibana", "api"):
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


@pytest.mark.parametrize(("service", "port"), [("elasticsearch", 9200), ("kibana", 5601), ("api", 8000)])
def test_service_port_is_published_to_the_host(service, port):
    assert port in published_ports(SERVICES[service])


def test_every_long_running_service_has_a_healthcheck():
    one_shots = one_shot_services()
    assert "setup" in one_shots, "kibana should wait for `setup` to complete"
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


def test_kibana_logs_in_as_kibana_system_after_setup_set_its_password():
    kibana = SERVICES["kibana"]
    env = environment(kibana)
    # Kibana 8 refuses to start as the `elastic` superuser.
    assert env["ELASTICSEARCH_USERNAME"] == "kibana_system"
    assert "${KIBANA_PASSWORD" in env["ELASTICSEARCH_PASSWORD"]
    assert urlsplit(env["ELASTICSEARCH_HOSTS"]).hostname == "elasticsearch"
    assert depends_on(kibana) == {
        "elasticsearch": "service_healthy",
        "setup": "service_completed_successfully",
    }
    assert "/api/status" in " ".join(kibana["healthcheck"]["test"])
    setup_script = " ".join(SERVICES["setup"]["command"])
    assert "/_security/user/kibana_system/_password" in setup_script


def test_api_talks_to_the_elasticsearch_service():
    api = SERVICES["api"]
    env = environment(api)
    url = urlsplit(env["PANIER_ES_URL"])
    assert (url.scheme, url.hostname, url.port) == ("http", "elasticsearch", 9200)
    assert env["PANIER_ES_USERNAME"] == "elastic"
    assert "${ELASTIC_PASSWORD" in env["PANIER_ES_PASSWORD"]
    assert depends_on(api)["elasticsearch"] == "service_healthy"
    assert "http://localhost:8000/v1/health" in " ".join(api["healthcheck"]["test"])


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
