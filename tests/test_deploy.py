"""The container image definition and the Kubernetes manifests agree with the server they run."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from graphql_api.config import Settings
from graphql_api.server.app import HEALTH_PATH, METRICS_PATH, READY_PATH

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
# Resident memory of one worker after loading the default snapshot and serving comparisons, as
# measured for the README's "Running in production" (552 MiB).
MEASURED_RSS_MIB = 552


def _manifests() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((DEPLOY / "kubernetes").glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                found[document["kind"]] = document
    return found


def _mebibytes(quantity: str) -> float:
    number, unit = re.fullmatch(r"(\d+)(Mi|Gi)", quantity).groups()  # type: ignore[union-attr]
    return int(number) * (1024 if unit == "Gi" else 1)


def _env(container: dict[str, Any]) -> dict[str, str]:
    return {item["name"]: item["value"] for item in container.get("env", [])}


def test_manifests_are_a_deployment_service_and_autoscaler() -> None:
    assert set(_manifests()) == {"Deployment", "Service", "HorizontalPodAutoscaler"}


def test_probes_and_ports_match_the_server() -> None:
    manifests = _manifests()
    deployment = manifests["Deployment"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    env = _env(container)
    # The settings the pod's environment gives are valid and name the port the probes use.
    settings = Settings.from_env(env)
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert ports == {"http": settings.port}
    assert settings.host == "0.0.0.0"
    assert container["readinessProbe"]["httpGet"] == {"path": READY_PATH, "port": "http"}
    assert container["startupProbe"]["httpGet"] == {"path": READY_PATH, "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": HEALTH_PATH, "port": "http"}
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/path"] == METRICS_PATH
    assert int(annotations["prometheus.io/port"]) == settings.port
    service = manifests["Service"]
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    assert [p["targetPort"] for p in service["spec"]["ports"]] == ["http"]
    hpa = manifests["HorizontalPodAutoscaler"]
    assert hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    assert hpa["spec"]["minReplicas"] >= 2


def test_resources_and_shutdown_fit_the_measurements() -> None:
    deployment = _manifests()["Deployment"]
    spec = deployment["spec"]["template"]["spec"]
    (container,) = spec["containers"]
    settings = Settings.from_env(_env(container))
    resources = container["resources"]
    request = _mebibytes(resources["requests"]["memory"])
    limit = _mebibytes(resources["limits"]["memory"])
    cache = settings.response_cache_bytes / 2**20
    assert request >= MEASURED_RSS_MIB + cache
    # A SIGHUP reload briefly holds two graphs.
    assert limit >= 2 * MEASURED_RSS_MIB + cache
    assert spec["terminationGracePeriodSeconds"] > settings.graceful_shutdown_seconds + 5
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_containerfile_is_slim_non_root_and_checks_health() -> None:
    text = (DEPLOY / "Containerfile").read_text()
    bases = re.findall(r"^FROM (\S+)", text, flags=re.MULTILINE)
    assert bases and all(base.endswith("-slim") for base in bases)
    user = re.findall(r"^USER (\S+)", text, flags=re.MULTILINE)
    assert user and user[-1] not in {"root", "0"}
    assert re.search(r"^EXPOSE 8000$", text, flags=re.MULTILINE)
    assert "CAREERGRAPH_PORT=8000" in text
    healthcheck = re.search(r"^HEALTHCHECK .*?CMD (.*)$", text, flags=re.MULTILINE | re.DOTALL)
    assert healthcheck is not None
    assert f"127.0.0.1:8000{HEALTH_PATH}" in healthcheck.group(1)
    deployment = _manifests()["Deployment"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert str(deployment["spec"]["template"]["spec"]["securityContext"]["runAsUser"]) == user[-1]
    assert container["command"] + container["args"] == ["careergraph", "serve"]
