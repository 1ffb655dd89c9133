"""Prometheus config and alert rules: promtool validates them and runs the rule unit tests."""

from __future__ import annotations

import pathlib
import subprocess

import pytest
import yaml

from tests.fixtures.prometheus import (
    REPO,
    exported_metric_names,
    metric_names_in,
    promtool,
    run_script,
)

PROM_DIR = REPO / "deploy" / "prometheus"
ALERTS = PROM_DIR / "alerts.yml"
ALERTS_TEST = PROM_DIR / "alerts_test.yml"
EXPECTED_ALERTS = {
    "NewsbeamConsumerLagGrowing",
    "NewsbeamDeadLetterRateHigh",
    "NewsbeamSinkFailures",
    "NewsbeamSinkRetriesSustained",
    "NewsbeamNoProgress",
    "NewsbeamExporterDown",
}


def _alert_rules() -> list[dict]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def _promtool(*args: str, cwd: pathlib.Path = PROM_DIR) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [promtool(), *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_production_config_is_valid() -> None:
    proc = _promtool("check", "config", "prometheus.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_local_config_derived_by_script_is_valid_and_rule_tests_pass() -> None:
    """prometheus-local.sh check: production + derived local config, and the rule tests."""
    proc = run_script("check", timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_alert_rule_unit_tests_pass() -> None:
    proc = _promtool("test", "rules", ALERTS_TEST.name)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SUCCESS" in proc.stdout


def test_every_alert_is_documented_and_unit_tested() -> None:
    rules = _alert_rules()
    assert {rule["alert"] for rule in rules} == EXPECTED_ALERTS
    tests = yaml.safe_load(ALERTS_TEST.read_text())["tests"]
    fired = {
        case["alertname"]
        for test in tests
        for case in test["alert_rule_test"]
        if case.get("exp_alerts")
    }
    quiet = {
        case["alertname"]
        for test in tests
        for case in test["alert_rule_test"]
        if not case.get("exp_alerts")
    }
    assert fired == EXPECTED_ALERTS, "every alert needs a test case where it fires"
    assert quiet == EXPECTED_ALERTS, "every alert needs a test case where it stays quiet"
    for rule in rules:
        annotations = rule["annotations"]
        assert {"summary", "description", "runbook_url"} <= annotations.keys(), rule["alert"]
        assert annotations["runbook_url"] == f"deploy/README.md#{rule['alert'].lower()}"
        assert rule["labels"]["severity"] in {"warning", "critical"}


def test_alert_expressions_use_only_exported_metrics() -> None:
    exported = exported_metric_names()
    for rule in _alert_rules():
        names = metric_names_in(rule["expr"])
        assert names or "up{" in rule["expr"], rule["alert"]
        assert names <= exported, f"{rule['alert']}: unknown {names - exported}"


@pytest.mark.parametrize("broken", ["rate(newsbeam_pages_read_total[5m]", "sum by (x (y)"])
def test_promtool_rejects_broken_promql(tmp_path: pathlib.Path, broken: str) -> None:
    """Guards the dashboard check: promtool check rules really parses PromQL."""
    rules = tmp_path / "rules.yml"
    rules.write_text(yaml.safe_dump({"groups": [{"name": "g", "rules": [
        {"record": "newsbeam:broken", "expr": broken}]}]}))
    proc = _promtool("check", "rules", str(rules), cwd=tmp_path)
    assert proc.returncode != 0
