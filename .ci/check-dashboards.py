#!/usr/bin/env python3
"""Offline check of the Grafana dashboards and the alerting rules against what the services export.

No Grafana engine runs here, so this checks as far as the tools allow:
  1. every dashboard JSON parses, has a uid, and unique panel ids;
  2. every panel, query and template variable uses the provisioned Prometheus datasource (its uid is
     read from config/grafana/provisioning/datasources/*.yml; the other datasources, the trace backend,
     point at a service of docker-compose.yml), and the dashboard provider's path is where
     docker-compose.yml mounts the dashboards;
  3. every PromQL expression parses: Grafana's variables are replaced by sample values, and the
     expressions are written into a temporary rules file for `promtool check rules`;
  4. every series an expression (or an expression of config/alerts.yml) selects is really exported, with
     the labels it filters or groups on: compared against the live exports the end-to-end test wrote
     (metrics-service/target/*.prom, from /telemetry/prometheus of switch rows and of port rows, and both
     /actuator/prometheus).
Before checking, it proves it can fail: a few broken copies of the first dashboard must be rejected.

Usage: .ci/check-dashboards.py   (from the repository root, after ./mvnw verify; needs promtool)
"""
import copy
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

DASHBOARDS = "config/grafana/dashboards/*.json"
DATASOURCES = "config/grafana/provisioning/datasources/*.yml"
PROVIDERS = "config/grafana/provisioning/dashboards/*.yml"
COMPOSE = "docker-compose.yml"
ALERTS = "config/alerts.yml"
EXPORTS = ["metrics-service/target/fabric-export.prom",
           "metrics-service/target/fabric-export-ports.prom",
           "metrics-service/target/metrics-actuator.prom",
           "metrics-service/target/generator-actuator.prom"]

# series Prometheus makes itself for every target / alert, and the labels it adds to every series
SYNTHETIC = {"up": {"job", "instance"}, "scrape_duration_seconds": {"job", "instance"},
             "scrape_samples_scraped": {"job", "instance"}, "ALERTS": {"alertname", "alertstate", "severity"}}
TARGET_LABELS = {"job", "instance"}
# Grafana's built-in variables, replaced by typical values; dashboard variables become a regex
BUILTINS = {"__rate_interval": "1m", "__interval": "15s", "__range": "1h", "__range_s": "3600", "__range_ms": "3600000"}

AGGREGATIONS = {"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk",
                "topk", "quantile", "limitk", "limit_ratio"}
KEYWORDS = AGGREGATIONS | {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
            "offset", "atan2", "inf", "nan"}
TOKEN = re.compile(r"""
    (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)
  | (?P<matchers>\{(?:[^}"']|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')*\})
  | (?P<range>\[[^\]]*\])
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:[smhdwy]|ms)?|0x[0-9a-fA-F]+)
  | (?P<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)
  | (?P<other>\s+|[-+*/%^=!<>(),@]+)
""", re.VERBOSE)
MATCHER = re.compile(r"""([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")
SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"')


class Problems(list):
    def add(self, where, message):
        self.append(f"{where}: {message}")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def exported_series():
    """Sample name -> label names seen on it, from the live exports."""
    series = {name: set(labels) for name, labels in SYNTHETIC.items()}
    for path in EXPORTS:
        if not os.path.exists(path) or os.path.getsize(path) == 0:
            sys.exit(f"{path} is missing or empty: run ./mvnw -B verify first (the end-to-end test and PortPrometheusEndpointTests write them)")
        for line in read(path).splitlines():
            match = SAMPLE.match(line)
            if match and not line.startswith("#"):
                labels = set(LABEL.findall(match.group(2) or "")) | TARGET_LABELS
                series.setdefault(match.group(1), set()).update(labels)
    return series


def substitute(expr, variables):
    """Grafana variables -> values promtool can parse; an unknown variable is reported."""
    unknown = []

    def value(match):
        name = match.group(1) or match.group(2)
        if name in BUILTINS:
            return BUILTINS[name]
        if name in variables:
            return ".*"
        unknown.append(name)
        return match.group(0)

    return re.sub(r"\$\{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-z]+)?\}|\$([a-zA-Z_][a-zA-Z0-9_]*)", value, expr), unknown


def selectors(expr):
    """(metric name, label names of its matchers) for every series selector; label names of by/without/on lists."""
    tokens = [(m.lastgroup, m.group()) for m in TOKEN.finditer(expr) if m.lastgroup != "other" or m.group().strip()]
    found, grouping = [], set()
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else (None, "")
        if kind == "ident" and text in {"by", "without", "on", "ignoring", "group_left", "group_right"}:
            if following[1].startswith("("):
                j = i + 2
                while j < len(tokens) and not tokens[j][1].startswith(")"):
                    if tokens[j][0] == "ident":
                        grouping.add(tokens[j][1])
                    j += 1
                i = j
        elif kind == "ident" and text.lower() not in KEYWORDS and not following[1].startswith("("):
            labels = MATCHER.findall(following[1]) if following[0] == "matchers" else []
            found.append((text, {label for label, _, _ in labels}))
        i += 1
    return found, grouping


def check_expression(where, expr, series, problems):
    found, grouping = selectors(expr)
    if not found:
        problems.add(where, f"selects no series: {expr}")
    names = set()
    for name, labels in found:
        if name not in series:
            problems.add(where, f"series '{name}' is not exported by the services ({expr})")
            continue
        names.add(name)
        for label in sorted(labels - series[name] - {"__name__"}):
            problems.add(where, f"series '{name}' has no label '{label}' ({expr})")
    available = set().union(*(series[n] for n in names)) if names else set()
    for label in sorted(grouping - available):
        problems.add(where, f"groups on label '{label}', which none of its series has ({expr})")


def datasource_uid(problems):
    """The uid of the one provisioned Prometheus datasource; other datasources (the trace backend) must
    point at a service of the compose file, and exemplar links at a provisioned datasource."""
    entries = []
    for path in sorted(glob.glob(DATASOURCES)):
        for block in re.split(r"^  - name:", read(path), flags=re.MULTILINE)[1:]:
            field = lambda key: (re.findall(r"^\s+" + key + r":\s*['\"]?([\w:/.-]+)", block, re.MULTILINE) or [None])[0]
            entries.append((path, field("uid"), field("type"), field("url"), re.findall(r"datasourceUid:\s*['\"]?([\w-]+)", block)))
    uids = [uid for _, uid, kind, _, _ in entries if kind == "prometheus"]
    if len(uids) != 1:
        problems.add(DATASOURCES, f"expected exactly one provisioned Prometheus datasource uid, found {uids}")
        return None
    compose = read(COMPOSE)
    known = {uid for _, uid, _, _, _ in entries}
    for path, uid, kind, url, links in entries:
        host = re.match(r"https?://([\w-]+)", url or "")
        if not host or not re.search(r"^  " + re.escape(host.group(1)) + r":\s*$", compose, re.MULTILINE):
            problems.add(path, f"datasource {uid} ({kind}) points at {url}, not at a service of {COMPOSE}")
        for link in links:
            if link not in known:
                problems.add(path, f"datasource {uid} links exemplars to {link}, which is not provisioned")
    return uids[0]


def check_provider(problems):
    compose = read(COMPOSE)
    providers = sorted(glob.glob(PROVIDERS))
    if not providers:
        problems.add(PROVIDERS, "no dashboard provider")
    for path in providers:
        for target in re.findall(r"^\s+path:\s*(\S+)", read(path), re.MULTILINE):
            if not re.search(r"\./config/grafana/dashboards:" + re.escape(target) + r"(:ro)?\b", compose):
                problems.add(path, f"{COMPOSE} does not mount ./config/grafana/dashboards at {target}")


def walk_panels(panels):
    for panel in panels:
        yield panel
        yield from walk_panels(panel.get("panels", []))


def check_dashboard(name, dashboard, uid, series, problems, rules):
    expected = {"type": "prometheus", "uid": uid}
    if not dashboard.get("uid"):
        problems.add(name, "dashboard has no uid")
    variables = {}
    for variable in dashboard.get("templating", {}).get("list", []):
        variables[variable["name"]] = variable
        where = f"{name} variable '{variable['name']}'"
        if variable.get("type") == "query":
            if variable.get("datasource") != expected:
                problems.add(where, f"datasource is {variable.get('datasource')}, not the provisioned {expected}")
            query = variable.get("query")
            query = query.get("query", "") if isinstance(query, dict) else query or ""
            match = re.fullmatch(r"\s*label_values\(\s*(.+?)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*", query)
            if not match:
                problems.add(where, f"query is not label_values(<series>, <label>): {query}")
            else:
                selector, label = match.groups()
                check_expression(where, f"count by ({label}) ({selector})", series, problems)
                rules.append((where, selector))
    for annotation in dashboard.get("annotations", {}).get("list", []):
        if annotation.get("datasource") not in ({"type": "grafana", "uid": "-- Grafana --"}, expected):
            problems.add(f"{name} annotation '{annotation.get('name')}'", f"unknown datasource {annotation.get('datasource')}")
    ids = set()
    for panel in walk_panels(dashboard.get("panels", [])):
        where = f"{name} panel {panel.get('id')} '{panel.get('title')}'"
        if panel.get("id") in ids:
            problems.add(where, "duplicate panel id")
        ids.add(panel.get("id"))
        if panel.get("type") == "row":
            continue
        if panel.get("datasource") != expected:
            problems.add(where, f"datasource is {panel.get('datasource')}, not the provisioned {expected}")
        targets = panel.get("targets", [])
        if not targets:
            problems.add(where, "has no query")
        for target in targets:
            if "datasource" in target and target["datasource"] != expected:
                problems.add(where, f"query {target.get('refId')} datasource is {target['datasource']}")
            expr, unknown = substitute(target.get("expr", ""), variables)
            if unknown:
                problems.add(where, f"unknown variables {unknown} in {target.get('expr')}")
            if not expr.strip():
                problems.add(where, f"query {target.get('refId')} has no PromQL expression")
                continue
            check_expression(f"{where} query {target.get('refId')}", expr, series, problems)
            rules.append((f"{where} query {target.get('refId')}", expr))


def promtool_parses(rules, problems):
    """Each expression becomes a recording rule; promtool check rules parses them all."""
    if not rules:
        return
    group = {"groups": [{"name": "dashboard-expressions", "rules": [
        {"record": f"dashboard_check:expr_{i}", "expr": expr} for i, (_, expr) in enumerate(rules)]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        json.dump(group, f)  # JSON is YAML
        path = f.name
    try:
        result = subprocess.run(["promtool", "check", "rules", path], capture_output=True, text=True)
    finally:
        os.unlink(path)
    if result.returncode != 0:
        output = result.stdout + result.stderr
        for i, (where, expr) in enumerate(rules):
            if f"dashboard_check:expr_{i}" in output or f"expr_{i}\"" in output:
                problems.add(where, f"promtool cannot parse: {expr}")
        problems.add("promtool check rules", output.strip())


def check_all(dashboards, series):
    problems = Problems()
    uid = datasource_uid(problems)
    check_provider(problems)
    rules = []
    for name, dashboard in dashboards:
        check_dashboard(name, dashboard, uid, series, problems, rules)
    for number, expr in enumerate(re.findall(r"^\s+expr:\s*(.+)$", read(ALERTS), re.MULTILINE), 1):
        check_expression(f"{ALERTS} expr #{number}", expr.strip(), series, problems)
    promtool_parses(rules, problems)
    return problems, len(rules)


def self_test(dashboards, series):
    """The checker must reject broken dashboards, or its green means nothing."""
    name, original = dashboards[0]
    first = next(p for p in walk_panels(original["panels"]) if p.get("targets"))

    def broken(mutate):
        copied = copy.deepcopy(original)
        panel = next(p for p in walk_panels(copied["panels"]) if p.get("id") == first["id"])
        mutate(panel)
        return check_all([(name, copied)], series)[0]

    cases = {
        "an unexported series": lambda p: p["targets"][0].update(expr="fabric_no_such_series"),
        "a label the series lacks": lambda p: p["targets"][0].update(expr='fabric_link_state{port="1"}'),
        "grouping on a missing label": lambda p: p["targets"][0].update(expr="sum by (rack) (fabric_link_state)"),
        "invalid PromQL": lambda p: p["targets"][0].update(expr="sum(rate(fabric_link_state[5m])"),
        "an unknown variable": lambda p: p["targets"][0].update(expr='fabric_link_state{switch=~"$rack"}'),
        "another datasource": lambda p: p.update(datasource={"type": "prometheus", "uid": "other"}),
    }
    for case, mutate in cases.items():
        if not broken(mutate):
            sys.exit(f"self-test failed: a dashboard with {case} passed the check")
    print(f"self-test: {len(cases)} broken dashboards rejected", flush=True)


def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    series = exported_series()
    paths = sorted(glob.glob(DASHBOARDS))
    if not paths:
        sys.exit(f"no dashboards in {DASHBOARDS}")
    dashboards = []
    for path in paths:
        try:
            dashboards.append((path, json.loads(read(path))))
        except json.JSONDecodeError as e:
            sys.exit(f"{path}: not valid JSON: {e}")
    self_test(dashboards, series)
    problems, expressions = check_all(dashboards, series)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(f"{len(problems)} problem(s) in the dashboards or alert rules")
    print(f"{len(paths)} dashboard(s), {expressions} PromQL expressions: all parse, use the provisioned "
          f"datasource and name only exported series and labels; {ALERTS} names only exported series")


if __name__ == "__main__":
    main()
