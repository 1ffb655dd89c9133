"""Grafana dashboard + provisioning: valid JSON/YAML, PromQL parsed by promtool, and
only metric names that pipeline/metrics.py exports."""

from __future__ import annotations

import json
import pathlib
import subprocess
from typing import Any

import pytest
import yaml

from tests.fixtures.prometheus import REPO, exported_metric_names, metric_names_in, promtool

GRAFANA = REPO / "deploy" / "grafana"
DASHBOARD = GRAFANA / "dashboards" / "newsbeam.json"
# Grafana variables replaced by plain values so promtool can parse the expressions.
GRAFANA_VARIABLES = {
    "$__rate_interval": "1m",
    "$__interval": "15s",
    "$__range": "1h",
    "$job": ".*",
    "$instance": ".*",
}
REQUIRED_PANELS = {
    "Pages read /s": {"newsbeam_pages_read_total"},
    "Articles cleaned /s by language": {"newsbeam_articles_cleaned_total"},
    "Events /s by CAMEO root": {"newsbeam_events_total"},
    "Rejections /s by reason": {"newsbeam_rejections_total"},
    "Dead letters /s by stage, reason": {"newsbeam_dead_letters_total"},
    "Duplicates /s by kind": {"newsbeam_duplicates_total"},
    "Consumer lag per partition": {"newsbeam_consumer_lag"},
    "Stage latency p50 / p99": {"newsbeam_stage_latency_seconds_bucket"},
    "End-to-end latency p50 / p99 (Kafka timestamp to sink confirm)": {
        "newsbeam_end_to_end_latency_seconds_bucket"
    },
    "Sink writes /s by sink, kind": {"newsbeam_sink_writes_total"},
    "Sink retries and failures /s": {
        "newsbeam_sink_retries_total",
        "newsbeam_sink_failures_total",
    },
    "Build info": {"newsbeam_build_info"},
}


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text())


def _query_panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in dashboard["panels"] if p["type"] != "row"]


def _exprs(dashboard: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (panel["title"], target["expr"])
        for panel in _query_panels(dashboard)
        for target in panel["targets"]
    ]


def _substitute(expr: str) -> str:
    for variable in sorted(GRAFANA_VARIABLES, key=len, reverse=True):
        expr = expr.replace(variable, GRAFANA_VARIABLES[variable])
    assert "$" not in expr, f"unknown Grafana variable in {expr}"
    return expr


def test_dashboard_structure(dashboard: dict[str, Any]) -> None:
    assert dashboard["uid"] == "newsbeam-pipeline"
    assert 36 <= dashboard["schemaVersion"] <= 41
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    for panel in _query_panels(dashboard):
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert panel["targets"], panel["title"]
        assert {"h", "w", "x", "y"} <= panel["gridPos"].keys()
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24, panel["title"]
        ref_ids = [t["refId"] for t in panel["targets"]]
        assert len(ref_ids) == len(set(ref_ids)), panel["title"]


def test_required_panels_query_their_metrics(dashboard: dict[str, Any]) -> None:
    by_title: dict[str, set[str]] = {}
    for title, expr in _exprs(dashboard):
        by_title.setdefault(title, set()).update(metric_names_in(expr))
    for title, metrics in REQUIRED_PANELS.items():
        assert title in by_title, f"missing panel {title!r}"
        assert metrics <= by_title[title], title
    quantiles = [e for t, e in _exprs(dashboard) if "latency" in t]
    assert sum("histogram_quantile(0.5," in e for e in quantiles) == 2
    assert sum("histogram_quantile(0.99," in e for e in quantiles) == 2


def test_dashboard_metrics_exist_in_pipeline_metrics(dashboard: dict[str, Any]) -> None:
    exported = exported_metric_names()
    for title, expr in _exprs(dashboard):
        unknown = metric_names_in(expr) - exported
        assert not unknown, f"{title}: {unknown} not defined in pipeline/metrics.py"
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            assert metric_names_in(variable["definition"]) <= exported, variable["name"]


def test_dashboard_promql_parses(dashboard: dict[str, Any], tmp_path: pathlib.Path) -> None:
    """Every expression as a recording rule: `promtool check rules` parses PromQL offline."""
    rules = [
        {"record": f"newsbeam:dashboard_check:{i}", "expr": _substitute(expr)}
        for i, (_title, expr) in enumerate(_exprs(dashboard))
    ]
    path = tmp_path / "dashboard_rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    proc = subprocess.run(
        [promtool(), "check", "rules", str(path)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"SUCCESS: {len(rules)} rules found" in proc.stdout


def test_provisioning_files() -> None:
    datasources = yaml.safe_load(
        (GRAFANA / "provisioning" / "datasources" / "newsbeam-prometheus.yml").read_text()
    )
    assert datasources["apiVersion"] == 1
    (source,) = datasources["datasources"]
    assert source["type"] == "prometheus"
    assert source["url"].startswith("http")
    providers = yaml.safe_load((GRAFANA / "provisioning" / "dashboards" / "newsbeam.yml").read_text())
    assert providers["apiVersion"] == 1
    (provider,) = providers["providers"]
    assert provider["type"] == "file"
    assert pathlib.PurePosixPath(provider["options"]["path"]).is_absolute()
