"""deploy/compose.yaml and deploy/k8s/*.yaml against their published schemas, offline.

Validators come from package registries via deploy/validate.sh (see its header):
Compose spec JSON Schema, kubernetes-validate's Kubernetes schemas (strict: unknown
fields are errors, like `kubectl apply --validate=strict`), the Flink Kubernetes
Operator CRD (made strict the same way) and @kubernetes-models for the ServiceMonitor.
"""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import sys
from typing import Any

import jsonschema
import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE = DEPLOY / "compose.yaml"
KUBERNETES_VERSIONS = ("1.29", "1.33")
FLINK_API = "flink.apache.org/v1beta1"


@pytest.fixture(scope="session")
def validators() -> pathlib.Path:
    """var/validators, fetched once by deploy/validate.sh (registries only)."""
    proc = subprocess.run(["bash", str(DEPLOY / "validate.sh"), "fetch"], capture_output=True,
                          text=True, timeout=900, check=False)
    if proc.returncode != 0:
        pytest.fail(f"deploy/validate.sh fetch failed:\n{proc.stderr[-3000:]}")
    path = pathlib.Path(proc.stdout.strip().splitlines()[-1])
    if (path / "python").is_dir() and str(path / "python") not in sys.path:
        sys.path.append(str(path / "python"))
    return path


def _k8s_docs() -> list[tuple[str, dict[str, Any]]]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc:
                docs.append((path.name, doc))
    return docs


def _doc_id(item: tuple[str, dict[str, Any]]) -> str:
    name, doc = item
    return f"{name}:{doc['kind']}/{doc['metadata']['name']}"


K8S_DOCS = _k8s_docs()
CORE_DOCS = [d for d in K8S_DOCS if "." not in d[1]["apiVersion"].split("/")[0]
             or d[1]["apiVersion"].split("/")[0].endswith(".k8s.io")]


# ------------------------------------------------------------------ Compose


def _compose_schema(validators: pathlib.Path) -> dict[str, Any]:
    return json.loads((validators / "compose-spec.json").read_text(encoding="utf-8"))


def test_compose_file_matches_compose_spec(validators: pathlib.Path) -> None:
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(_compose_schema(validators))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(compose)]
    assert errors == []


def test_compose_schema_rejects_a_typo(validators: pathlib.Path) -> None:
    """The schema is strict enough to matter: an unknown service key is an error."""
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    compose["services"]["job"]["comand"] = ["run"]
    assert not jsonschema.Draft7Validator(_compose_schema(validators)).is_valid(compose)


def test_compose_references_existing_files() -> None:
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (DEPLOY / source).exists(), f"{name}: {source} missing"
        build = service.get("build")
        if build:
            context = (DEPLOY / build["context"]).resolve()
            assert (context / build["dockerfile"]).is_file()
    for needed in ("prometheus/prometheus.yml", "prometheus/alerts.yml",
                   "grafana/dashboards/newsbeam.json", "grafana/provisioning"):
        assert (DEPLOY / needed).exists(), needed


def test_dockerfile_copies_existing_paths() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    sources = []
    for match in re.finditer(r"^COPY\s+(.+)$", dockerfile, re.MULTILINE):
        parts = [p for p in match.group(1).split() if not p.startswith("--")]
        sources += parts[:-1]
    assert sources
    for source in sources:
        assert (REPO / source).exists(), source


# ------------------------------------------------------------------ Kubernetes core


@pytest.mark.parametrize("item", CORE_DOCS, ids=_doc_id)
@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_core_manifest_is_valid_kubernetes(validators: pathlib.Path, version: str,
                                           item: tuple[str, dict[str, Any]]) -> None:
    import kubernetes_validate

    _, doc = item
    kubernetes_validate.validate(doc, version, strict=True)


def test_strict_kubernetes_schema_rejects_a_typo(validators: pathlib.Path) -> None:
    import kubernetes_validate

    deployment = next(d for _, d in K8S_DOCS if d["kind"] == "Deployment")
    broken = json.loads(json.dumps(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    with pytest.raises(jsonschema.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSIONS[-1], strict=True)


def test_service_selects_the_job_pods_and_ports() -> None:
    by_kind = {d["kind"]: d for _, d in K8S_DOCS}
    pod = by_kind["Deployment"]["spec"]["template"]
    service = by_kind["Service"]
    assert all(pod["metadata"]["labels"].get(k) == v
               for k, v in service["spec"]["selector"].items())
    port_names = {p["name"] for c in pod["spec"]["containers"] for p in c.get("ports", [])}
    assert {p["targetPort"] for p in service["spec"]["ports"]} <= port_names
    monitor = by_kind["ServiceMonitor"]
    labels = service["metadata"]["labels"]
    assert all(labels.get(k) == v for k, v in monitor["spec"]["selector"]["matchLabels"].items())
    assert {e["port"] for e in monitor["spec"]["endpoints"]} <= \
        {p["name"] for p in service["spec"]["ports"]}
    assert service["metadata"]["annotations"]["prometheus.io/scrape"] == "true"
    config_keys = set(by_kind["ConfigMap"]["data"])
    args = " ".join(pod["spec"]["containers"][0]["args"])
    assert set(re.findall(r"\$\((\w+)\)", args)) <= config_keys


# ------------------------------------------------------------------ CRDs


def _strict(schema: Any) -> Any:
    """Close every object schema that lists properties (kubectl --validate=strict)."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items()}
        if ("properties" in out and "additionalProperties" not in out
                and not out.get("x-kubernetes-preserve-unknown-fields")):
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


def _flink_schema(validators: pathlib.Path) -> dict[str, Any]:
    crd_file = validators / "flink-operator-crds" / "flinkdeployments.flink.apache.org-v1.yml"
    crd = yaml.safe_load(crd_file.read_text(encoding="utf-8"))
    version = next(v for v in crd["spec"]["versions"] if v["name"] == FLINK_API.split("/")[1])
    assert version["served"]
    schema = _strict(version["schema"]["openAPIV3Schema"])
    # apiVersion/kind/metadata are the API server's (ObjectMeta), not the CRD schema's.
    schema["properties"].update(apiVersion={"const": FLINK_API},
                                kind={"const": crd["spec"]["names"]["kind"]},
                                metadata={"type": "object"})
    return schema


FLINK_DOCS = [d for d in K8S_DOCS if d[1]["apiVersion"] == FLINK_API]


@pytest.mark.parametrize("item", FLINK_DOCS, ids=_doc_id)
def test_flink_deployment_matches_operator_crd(validators: pathlib.Path,
                                               item: tuple[str, dict[str, Any]]) -> None:
    import kubernetes_validate

    _, doc = item
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in jsonschema.Draft7Validator(_flink_schema(validators)).iter_errors(doc)]
    assert errors == []
    # The CRD keeps pod templates open; check them as real Pods.
    spec = doc["spec"]
    for template in (spec.get("podTemplate"), spec["jobManager"].get("podTemplate"),
                     spec["taskManager"].get("podTemplate")):
        if template:
            kubernetes_validate.validate(template, KUBERNETES_VERSIONS[-1], strict=True)


def test_flink_crd_schema_rejects_a_typo(validators: pathlib.Path) -> None:
    doc = json.loads(json.dumps(FLINK_DOCS[0][1]))
    doc["spec"]["flinkVersoin"] = doc["spec"].pop("flinkVersion")
    assert not jsonschema.Draft7Validator(_flink_schema(validators)).is_valid(doc)


MONITORING_DOCS = [d for d in K8S_DOCS if d[1]["apiVersion"].startswith("monitoring.coreos.com/")]


def _node_validate(validators: pathlib.Path, docs: list[dict[str, Any]]) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found (apt-get install nodejs): needed for the CRD validators")
    proc = subprocess.run([node, str(pathlib.Path(__file__).with_name("k8s_models_validate.mjs")),
                           str(validators / "node")], input=json.dumps(docs), text=True,
                          capture_output=True, timeout=120, check=False)
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert len(results) == len(docs), proc.stderr
    return results


def test_prometheus_operator_resources_match_crds(validators: pathlib.Path) -> None:
    assert MONITORING_DOCS
    results = _node_validate(validators, [d for _, d in MONITORING_DOCS])
    assert [r for r in results if r["error"]] == []


def test_prometheus_operator_validator_rejects_a_bad_type(validators: pathlib.Path) -> None:
    doc = json.loads(json.dumps(MONITORING_DOCS[0][1]))
    doc["spec"]["endpoints"][0]["port"] = 9464  # must be a port *name*
    [result] = _node_validate(validators, [doc])
    assert result["error"] and "port" in result["error"]
