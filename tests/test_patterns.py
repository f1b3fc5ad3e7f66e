"""The patterns table (logclf/patterns.py): the aggregator on its own, the CLI's --patterns, and the HTTP API.

The aggregator tests use the real masking file and hand-made decisions (no model: cheap); the CLI
tests run the real command, the HTTP tests the app in process with the session's model.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from logclf.decision import Decision, unclassified
from logclf.masking import Masker
from logclf.patterns import OTHER, PATTERN_COLUMNS, TEXT_MAX, PatternTable, RecentPatterns
from logclf.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
RULE = Decision("User Action", "regex", 1.0, "rule user-login")
OVERRIDE = Decision("Security Alert", "override", 1.0, "corrected by a person")
NONE = unclassified("ML tier unsure")


@pytest.fixture(scope="module")
def masker() -> Masker:
    return Masker.from_file(Settings().masking_path)


def bert(label: str, p: float) -> Decision:
    return Decision(label, "bert", p)


def table_csv(table: PatternTable) -> list[dict[str, str]]:
    out = io.StringIO()
    table.write_csv(out)
    out.seek(0)
    assert out.readline().strip() == ",".join(PATTERN_COLUMNS)
    out.seek(0)
    return list(csv.DictReader(out))


# -- the aggregator ---------------------------------------------------------------------------------


def test_counts_labels_examples_and_order(masker):
    table = PatternTable(masker.template, 100)
    sources = ["app", "app", "app", "app", "db", "app", "app"]
    messages = [
        "User 7 logged in.",
        "Disk 3 at 91% on host-9",
        "User 12 logged in.",
        "Disk 4 at 95% on host-2",
        "User 7 logged in.",
        "Disk 5 at 97% on host-1",
        "   ",
    ]
    # the cascade's templates: None where a rule decided (masked by the table) or the message is empty
    templates = [None, masker.template(messages[1]), None, masker.template(messages[3]), None, masker.template(messages[5]), None]
    decisions = [RULE, bert("Resource Usage", 0.9), RULE, bert("Resource Usage", 0.7), RULE, bert("Resource Usage", 0.8), NONE]
    filled = table.add(sources, messages, templates, decisions)
    assert filled[0] == filled[2] == "[rule user-login]" and filled[6] == ""  # a rule's rows: its name, not masked

    rows = table.patterns()
    assert [(p.source, p.count, p.target_label, p.classified_by) for p in rows] == [
        ("app", 3, "Resource Usage", "bert"),
        ("app;db", 3, "User Action", "regex"),  # the rule's rows of two sources: one line
        ("app", 1, "Unclassified", "none"),  # the empty message: template ""
    ]
    disk = rows[0]
    assert disk.example == "Disk 3 at 91% on host-9"  # the first row, as it appeared
    assert disk.confidence_min == pytest.approx(0.7) and disk.confidence_mean == pytest.approx(0.8)
    assert disk.confidence_text() == "0.7000/0.8000"
    assert rows[1].confidence_text() == "1.0000" and rows[2].confidence_text() == ""
    assert [(s.source, s.count, s.example) for s in rows[1].sources] == [("app", 2, "User 7 logged in."), ("db", 1, "User 7 logged in.")]
    assert sum(p.count for p in rows) == table.rows == 7 and table.other_rows == 0
    assert len(table.source_patterns()) == 4  # counted per source (corrections are keyed by source and template)


def test_a_template_under_two_sources_is_one_line_with_both(masker):
    table = PatternTable(masker.template, 100)
    messages = ["Queue 1 drained", "Queue 2 drained", "Queue 3 drained", "Queue 4 drained", "Queue 5 drained"]
    t = masker.template(messages[0])
    sources = ["web", "db", "web", "db", "db"]
    decisions = [bert("System Notification", p) for p in (0.9, 0.6, 0.8, 0.7, 0.5)]
    table.add(sources[:2], messages[:2], [t, t], decisions[:2])
    table.add(sources[2:], messages[2:], [t, t, t], decisions[2:])  # two chunks: counted per source, listed merged
    (line,) = table.patterns()
    assert (line.source, line.template, line.count) == ("db;web", t, 5)
    assert [(s.source, s.count, s.example) for s in line.sources] == [("db", 3, "Queue 2 drained"), ("web", 2, "Queue 1 drained")]
    assert line.example == "Queue 1 drained"  # the first row of the file, whichever source
    assert line.confidence_min == pytest.approx(0.5) and line.confidence_mean == pytest.approx(0.7)
    (csv_line,) = table_csv(table)
    assert csv_line == {
        "source": "db;web",
        "template": t,
        "count": "5",
        "target_label": "System Notification",
        "classified_by": "bert",
        "confidence": "0.5000/0.7000",
        "example": "Queue 1 drained",
    }
    assert table.line_indices(sources[2:], [t] * 3, decisions[2:]) == [0, 0, 0] and len(table) == 1


def test_the_same_template_with_another_label_stays_its_own_line(masker):
    table = PatternTable(masker.template, 100)
    t = masker.template("Queue 1 drained")
    sources, messages = ["web", "db", "cache", "web"], ["Queue 1 drained", "Queue 2 drained", "Queue 3 drained", "Queue 4 drained"]
    decisions = [bert("System Notification", 0.9), bert("System Notification", 0.8), bert("Error", 0.9), OVERRIDE]
    table.add(sources, messages, [t] * 4, decisions)
    assert [(p.source, p.target_label, p.classified_by, p.count) for p in table.patterns()] == [
        ("db;web", "System Notification", "bert", 2),
        ("cache", "Error", "bert", 1),  # another label: its own line
        ("web", "Security Alert", "override", 1),  # another tier: its own line
    ]
    assert table.line_indices(sources, [t] * 4, decisions) == [0, 0, 1, 2]


def test_chunks_add_up_and_a_template_with_two_labels_has_two_lines(masker):
    """A correction made between two chunks: the template's earlier rows keep their tier, each on its line."""
    table = PatternTable(masker.template, 100)
    t = masker.template("Queue 1 drained")
    table.add(["a", "a"], ["Queue 1 drained", "Queue 2 drained"], [t, t], [NONE, NONE])
    table.add(["a", "a"], ["Queue 3 drained", "User 4 logged in."], [t, None], [OVERRIDE, RULE])
    assert {(p.template, p.target_label, p.count, p.example) for p in table.patterns()} == {
        (t, "Unclassified", 2, "Queue 1 drained"),
        (t, "Security Alert", 1, "Queue 3 drained"),
        ("[rule user-login]", "User Action", 1, "User 4 logged in."),
    }
    assert table.largest("Unclassified")[0].template == t and table.rows == 4


def test_a_corrected_line_a_rule_also_matches_is_masked(masker):
    """The cascade leaves no template for a line a rule matched; corrected, its pattern is its masked line (the correction's key)."""
    table = PatternTable(masker.template, 100)
    table.add(["a"], ["User 9 logged in."], [None], [OVERRIDE])
    assert table.patterns()[0].template == masker.template("User 9 logged in.")


def test_past_the_cap_the_smaller_half_folds_into_other_patterns(masker):
    table = PatternTable(masker.template, 4)
    sizes = {"alpha": 9, "bravo": 7, "charlie": 5, "delta": 3}
    for word, n in sizes.items():
        table.add(["s"] * n, [f"{word} event"] * n, [f"{word} event"] * n, [NONE] * n)
    assert table.other_rows == 0 and len(table) == 4
    table.add(["s", "s"], ["echo event", "echo event"], ["echo event"] * 2, [NONE, NONE])  # a fifth: the two smallest fold
    assert [(p.template, p.count) for p in table.patterns()] == [("alpha event", 9), ("bravo event", 7), ("echo event", 2)]
    assert table.other_rows == 5 + 3 and table.other_patterns == 2
    assert sum(p.count for p in table.patterns()) + table.other_rows == table.rows == 26
    last = table_csv(table)[-1]
    assert last["template"] == f"{OTHER}: 2 folded" and last["count"] == "8" and last["source"] == "*"


def test_the_fold_counts_per_source_and_the_merged_lines_still_sum_to_the_rows(masker):
    """The cap bounds the patterns as counted (per source); the listed lines merge what is kept."""
    table = PatternTable(masker.template, 4)
    for source, word, n in [("a", "alpha", 9), ("b", "alpha", 6), ("a", "bravo", 2), ("b", "bravo", 1)]:
        table.add([source] * n, [f"{word} event"] * n, [f"{word} event"] * n, [NONE] * n)
    assert [(p.source, p.template, p.count) for p in table.patterns()] == [("a;b", "alpha event", 15), ("a;b", "bravo event", 3)]
    table.add(["c"] * 4, ["charlie event"] * 4, ["charlie event"] * 4, [NONE] * 4)  # at the cap: the two bravo fold
    assert [(p.source, p.template, p.count) for p in table.patterns()] == [("a;b", "alpha event", 15), ("c", "charlie event", 4)]
    assert table.other_rows == 3 and table.other_patterns == 2
    assert sum(p.count for p in table.patterns()) + table.other_rows == table.rows == 22
    assert sum(int(r["count"]) for r in table_csv(table)) == 22


def test_long_lines_are_cut_in_the_table(masker):
    table = PatternTable(masker.template, 10)
    line = "x" * (3 * TEXT_MAX)
    table.add(["s"], [line], [line], [NONE])
    (p,) = table.patterns()
    assert len(p.template) == len(p.example) == TEXT_MAX and p.example_cut


def test_recent_tables_are_bounded(masker):
    store = RecentPatterns(keep=2)
    tokens = [store.put(PatternTable(masker.template, 1)) for _ in range(3)]
    assert store.get(tokens[0]) is None and store.get(tokens[1]) is not None and store.get(tokens[2]) is not None
    assert store.get("nope") is None


# -- the CLI ----------------------------------------------------------------------------------------

KNOWN = [
    ("BillingSystem", "User 101 logged in."),  # regex, 4 rows
    ("LegacyCRM", "Case escalation for ticket ID 7324 failed because the assigned support agent is no longer active."),
    ("BillingSystem", "User 202 logged in."),
    ("ModernCRM", "Backup completed successfully."),  # regex, 2 rows
    ("BillingSystem", "User 303 logged in."),
    ("LegacyCRM", "Case escalation for ticket ID 9911 failed because the assigned support agent is no longer active."),
    ("LegacyCRM", "Case escalation for ticket ID 15 failed because the assigned support agent is no longer active."),
    ("ModernCRM", "Backup completed successfully."),
    ("BillingSystem", "User 404 logged in."),
    ("LegacyCRM", "Invoice 55 generation failed: customer record locked"),  # 1 row
]


def run_cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None, lines=KNOWN) -> subprocess.CompletedProcess:
    src = tmp_path / "known.csv"
    with open(src, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([("source", "log_message"), *lines])
    environ = {**os.environ, "HF_HUB_OFFLINE": "1", "GROQ_API_KEY": "", **(env or {})}
    cmd = [sys.executable, str(ROOT / "classify.py"), str(src), "-o", str(tmp_path / "out.csv"), "--no-llm", *args]
    return subprocess.run(cmd, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_cli_patterns_file_counts_examples_and_summary(tmp_path):
    proc = run_cli(tmp_path, "--patterns", str(tmp_path / "patterns.csv"))
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "patterns.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == PATTERN_COLUMNS
    got = [(r["source"], r["template"], r["count"], r["target_label"], r["classified_by"], r["example"]) for r in rows]
    assert got == [
        ("BillingSystem", "[rule user-login-logout]", "4", "User Action", "regex", "User 101 logged in."),
        (
            "LegacyCRM",
            "Case escalation for ticket ID <NUM> failed because the assigned support agent is no longer active.",
            "3",
            "Unclassified",  # --no-llm: LegacyCRM is the LLM's
            "none",
            KNOWN[1][1],
        ),
        ("ModernCRM", "[rule backup-completed]", "2", "System Notification", "regex", "Backup completed successfully."),
        ("LegacyCRM", "Invoice <NUM> generation failed: customer record locked", "1", "Unclassified", "none", KNOWN[9][1]),
    ]
    assert sum(int(r["count"]) for r in rows) == len(KNOWN)
    assert rows[0]["confidence"] == "1.0000" and rows[1]["confidence"] == ""
    # the summary names the largest Unclassified patterns, largest first
    summary = proc.stderr[proc.stderr.index("largest Unclassified patterns") :]
    assert summary.index("Case escalation for ticket ID <NUM>") < summary.index("Invoice <NUM> generation failed")
    assert "user-login-logout" not in summary


# one template under two sources (a rule's), another under two sources and Unclassified (LegacyCRM and, with --no-llm, ...)
SPANNING = [
    ("BillingSystem", "User 101 logged in."),
    ("ModernCRM", "User 202 logged in."),
    ("BillingSystem", "User 303 logged in."),
    ("LegacyCRM", "Case escalation for ticket ID 7324 failed because the assigned support agent is no longer active."),
    ("ModernHR", "User 404 logged in."),
    ("LegacyCRM", "Case escalation for ticket ID 15 failed because the assigned support agent is no longer active."),
]


@pytest.mark.slow
def test_cli_patterns_a_template_spanning_sources_is_one_line(tmp_path):
    proc = run_cli(tmp_path, "--patterns", str(tmp_path / "patterns.csv"), lines=SPANNING)
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "patterns.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == PATTERN_COLUMNS
    got = [(r["source"], r["template"], r["count"], r["target_label"], r["classified_by"], r["example"]) for r in rows]
    assert got[0] == ("BillingSystem;ModernCRM;ModernHR", "[rule user-login-logout]", "4", "User Action", "regex", "User 101 logged in.")
    assert got[1][:3] == (
        "LegacyCRM",
        "Case escalation for ticket ID <NUM> failed because the assigned support agent is no longer active.",
        "2",
    )
    assert len(rows) == 2 and sum(int(r["count"]) for r in rows) == len(SPANNING)
    assert "wrote" in proc.stderr and ": 2 patterns" in proc.stderr


@pytest.mark.slow
def test_cli_patterns_fold_past_the_cap(tmp_path):
    proc = run_cli(tmp_path, "--patterns", str(tmp_path / "patterns.csv"), env={"PATTERNS_MAX": "2"})
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "patterns.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    # one chunk, patterns met in file order: User (4), Case (3); Backup comes at the cap and the smaller
    # half (Case) folds; Invoice comes at the cap again and Backup (2) folds
    assert [(r["template"], r["count"]) for r in rows] == [
        ("[rule user-login-logout]", "4"),
        ("Invoice <NUM> generation failed: customer record locked", "1"),
        (f"{OTHER}: 2 folded", "5"),
    ]
    assert sum(int(r["count"]) for r in rows) == len(KNOWN)


@pytest.mark.slow  # a child process (it exits before loading the model)
def test_cli_patterns_bad_target_is_one_line(tmp_path):
    proc = run_cli(tmp_path, "--patterns", str(tmp_path / "no-such-dir" / "p.csv"))
    assert proc.returncode == 2 and proc.stderr.strip().count("\n") == 0 and "--patterns" in proc.stderr


# -- HTTP -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(base_settings, bundle, embedder, tmp_path_factory):
    from fastapi.testclient import TestClient

    from logclf.cascade import Cascade
    from logclf.server import create_app

    settings = base_settings.with_(llm_enabled=False, corrections_path=tmp_path_factory.mktemp("patterns") / "corrections.sqlite3")
    app = create_app(settings, lambda s: Cascade.from_settings(s, bundle=bundle, embedder=embedder))
    with TestClient(app) as c:
        yield c


def known_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([("source", "log_message"), *KNOWN])
    return out.getvalue().encode()


def test_json_patterns_map_every_line_to_its_pattern(client):
    logs = [{"source": s, "log_message": m} for s, m in KNOWN]
    r = client.post("/classify/json", params={"patterns": "true"}, json={"logs": logs})
    assert r.status_code == 200, r.text
    body = r.json()
    table = body["patterns"]
    assert table["rows"] == len(KNOWN) == sum(p["count"] for p in table["patterns"])
    assert [p["count"] for p in table["patterns"]] == [4, 3, 2, 1]
    for k, (source, _) in enumerate(KNOWN):  # each line's pattern: its source, its label, its template
        p = table["patterns"][body["patterns"]["row_patterns"][k]]
        assert p["source"] == source and p["target_label"] == body["results"][k]["target_label"]
    assert table["patterns"][0]["share"] == pytest.approx(0.4)
    assert client.post("/classify/json", json={"logs": logs}).json()["patterns"] is None  # off by default


def test_upload_links_its_patterns_table_as_json_and_csv(client):
    r = client.post("/classify", params={"patterns": "true"}, files={"file": ("known.csv", known_csv())})
    assert r.status_code == 200, r.text
    link = r.headers["X-Patterns"]
    assert link.startswith("/patterns/")
    assert "X-Patterns" not in client.post("/classify", files={"file": ("known.csv", known_csv())}).headers
    table = client.get(link).json()
    assert table["rows"] == len(KNOWN) and table["patterns"][0]["template"] == "[rule user-login-logout]"
    as_csv = client.get(link, params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [int(row["count"]) for row in rows] == [p["count"] for p in table["patterns"]]
    missing = client.get("/patterns/not-a-token")
    assert missing.status_code == 404 and "patterns=true" in missing.json()["detail"]


def test_a_correction_relabels_the_whole_pattern(client):
    """What the web page does: one correction from a pattern's example; every row of it follows."""
    logs = [{"source": s, "log_message": m} for s, m in KNOWN]
    before = client.post("/classify/json", params={"patterns": "true"}, json={"logs": logs}).json()["patterns"]["patterns"]
    case = next(p for p in before if p["template"].startswith("Case escalation"))
    c = client.post("/corrections", json={"source": case["source"], "log_message": case["example"], "target_label": "Workflow Error"})
    assert c.status_code == 201 and c.json()["template"] == case["template"]
    try:
        after = client.post("/classify/json", params={"patterns": "true"}, json={"logs": logs}).json()
        relabelled = next(p for p in after["patterns"]["patterns"] if p["template"] == case["template"])
        assert (relabelled["count"], relabelled["target_label"], relabelled["classified_by"]) == (3, "Workflow Error", "override")
        assert [r["target_label"] for r, (_, m) in zip(after["results"], KNOWN, strict=True) if m.startswith("Case")] == [
            "Workflow Error"
        ] * 3
    finally:
        client.delete(f"/corrections/{c.json()['id']}")


def test_a_pattern_spanning_sources_is_relabelled_by_one_correction_per_source(client):
    """What the web page does for a merged line: one correction per source it spans, from that source's example."""
    logs = [{"source": s, "log_message": m} for s, m in SPANNING]
    body = client.post("/classify/json", params={"patterns": "true"}, json={"logs": logs}).json()
    table = body["patterns"]
    login = table["patterns"][0]
    assert (login["source"], login["count"]) == ("BillingSystem;ModernCRM;ModernHR", 4)
    assert [(s["source"], s["count"], s["example"]) for s in login["sources"]] == [
        ("BillingSystem", 2, "User 101 logged in."),
        ("ModernCRM", 1, "User 202 logged in."),
        ("ModernHR", 1, "User 404 logged in."),
    ]
    assert [table["patterns"][k]["template"] for k in table["row_patterns"]] == [login["template"]] * 3 + [
        table["patterns"][1]["template"]
    ] + [login["template"], table["patterns"][1]["template"]]
    ids = []
    try:
        for s in login["sources"]:
            c = client.post("/corrections", json={"source": s["source"], "log_message": s["example"], "target_label": "Security Alert"})
            assert c.status_code == 201, c.text
            ids.append(c.json()["id"])
        after = client.post("/classify/json", params={"patterns": "true"}, json={"logs": logs}).json()
        relabelled = after["patterns"]["patterns"][0]
        assert (relabelled["source"], relabelled["count"], relabelled["target_label"], relabelled["classified_by"]) == (
            "BillingSystem;ModernCRM;ModernHR",
            4,
            "Security Alert",
            "override",
        )
        assert [r["target_label"] for r, (_, m) in zip(after["results"], SPANNING, strict=True) if m.startswith("User")] == [
            "Security Alert"
        ] * 4
    finally:
        for i in ids:
            client.delete(f"/corrections/{i}")


def test_openapi_documents_the_patterns(client):
    spec = client.get("/openapi.json").json()
    assert "/patterns/{token}" in spec["paths"]
    params = {p["name"] for p in spec["paths"]["/classify"]["post"]["parameters"]}
    assert "patterns" in params
    assert "X-Patterns" in spec["paths"]["/classify"]["post"]["responses"]["200"]["headers"]
    assert "PatternsResponse" in spec["components"]["schemas"]
