"""Rule discovery: proposals fullmatch what they came from, are precise, and --write keeps the file loadable."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from logclf.masking import Masker
from logclf.settings import Settings
from logclf.tiers.regex import RegexTier, Rule
from logclf.training.discover import append_rules, discover, group_regex, merge_groups, placeholder_patterns, token_regex
from training.generate_dataset import generate

SHIPPED_RULES = Settings().regex_rules_path


@pytest.fixture(scope="module")
def masker() -> Masker:
    return Masker.from_file(Settings().masking_path)


@pytest.fixture(scope="module")
def empty_rules(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "empty.yaml"
    path.write_text("# no rules yet\nrules: []\n")
    return path


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    return pd.DataFrame(generate(1500, seed=21))


@pytest.fixture(scope="module")
def found(generated, empty_rules, masker, embedder) -> dict:
    return discover(generated, RegexTier.from_file(empty_rules), masker, embedder)


def test_placeholders_turn_back_into_the_masking_patterns(masker):
    placeholders = placeholder_patterns(masker)
    lines = [
        "Backup started at 2025-03-04 05:06:07.",
        "Request from 10.1.2.3 for user bob@example.com took 12 ms (id a1b2c3, trace 0f8e7d6c-1a2b-3c4d-5e6f-7a8b9c0d1e2f)",
    ]
    for line in lines:
        template = masker.template(line)
        assert template != line
        pattern = " ".join(token_regex(word, placeholders) for word in template.split(" "))
        assert re.fullmatch(pattern, line), (template, pattern)


def test_merged_templates_generalise_varying_words(masker):
    placeholders = placeholder_patterns(masker)
    users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "<ID>"]
    groups = merge_groups([f"User {u} logged in." for u in users] + ["Backup started at <TS>.", "Backup ended at <TS>."])
    assert len(groups) == 2
    users_pattern, backup_pattern = (group_regex(g, placeholders) for g in groups)
    assert users_pattern == r"User [\w.@-]+ logged in\."  # many values: an open set of words
    assert re.fullmatch(users_pattern, "User mallory logged in.") and re.fullmatch(users_pattern, "User User42 logged in.")
    assert re.fullmatch(backup_pattern, "Backup ended at 2025-01-02 03:04:05.")
    assert not re.fullmatch(backup_pattern, "Backup failed at 2025-01-02 03:04:05.")  # two values: an alternation
    assert len(merge_groups(["User <ID> logged in.", "Disk <ID> was full."])) == 2  # same length, too different


def test_discovery_without_rules_finds_precise_rules_for_most_regex_intended_rows(found, generated):
    assert found["proposed"], found
    assert all(p["precision"] == 1.0 for p in found["proposed"])
    intended = found["regex_intended"]
    assert intended["covered"] >= intended["rows"] / 2, intended
    ml_rows = generated[generated["source"] != "LegacyCRM"]
    for p in found["proposed"]:  # measured independently: each rule fires only on its own label
        hits = ml_rows[ml_rows["log_message"].map(lambda m, p=p: re.fullmatch(p["pattern"], m) is not None)]
        assert len(hits) == p["rows"] and set(hits["target_label"]) == {p["label"]}
    tier = RegexTier([Rule(p["name"], p["pattern"], p["label"]) for p in found["proposed"]])
    assert tier.labels <= set(generated["target_label"])


def test_a_rule_that_would_misfire_is_flagged_not_proposed(tmp_path, masker, embedder):
    # Jobs 100-199 are "Critical" and caught by an existing rule; the other jobs are "Routine".
    # A rule learnt from the unmatched "Routine" lines would also fire on the "Critical" ones.
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: critical-jobs\n    pattern: 'Job 1\\d\\d finished with state done'\n    label: Critical\n")
    rows = [("ModernCRM", f"Job {n} finished with state done", "Critical" if 100 <= n < 200 else "Routine") for n in range(100, 400)]
    df = pd.DataFrame(rows, columns=["source", "log_message", "target_label"])
    result = discover(df, RegexTier.from_file(rules), masker, embedder)
    assert result["proposed"] == []
    [flagged] = result["flagged"]
    assert flagged["label"] == "Routine" and flagged["misfires"] == {"Critical": 100} and flagged["precision"] < 1.0


def test_write_appends_loadable_rules_to_a_copy_of_the_shipped_file(found, tmp_path):
    copy = tmp_path / "regex_rules.yaml"
    copy.write_text(SHIPPED_RULES.read_text())
    before = RegexTier.from_file(copy).rules
    written = append_rules(copy, found["proposed"])
    after = RegexTier.from_file(copy).rules
    assert written == len(found["proposed"]) and len(after) == len(before) + written
    assert after[: len(before)] == before and copy.read_text().startswith(SHIPPED_RULES.read_text())
    assert all("discovered" in r.note and "precision 1.0000" in r.note for r in after[len(before) :])


def test_write_into_an_empty_rules_file_keeps_its_comments(found, empty_rules, tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(empty_rules.read_text())
    append_rules(path, found["proposed"][:2])
    assert path.read_text().startswith("# no rules yet\n")
    assert [r.name for r in RegexTier.from_file(path).rules] == [p["name"] for p in found["proposed"][:2]]


def test_a_mixed_cluster_still_yields_one_precise_rule_per_label(masker, embedder):
    rows = [("ModernCRM", f"Job {n} finished with state done", "Routine") for n in range(40)]
    rows += [("ModernCRM", f"Job {n} finished with state failed", "Failure") for n in range(40)]
    df = pd.DataFrame(rows, columns=["source", "log_message", "target_label"])
    result = discover(df, RegexTier([]), masker, embedder, eps=0.5)  # wide radius: both families in one cluster
    assert [c["labels"] for c in result["mixed_clusters"]] == [{"Routine": 40, "Failure": 40}]
    proposed = {p["label"]: p for p in result["proposed"]}
    assert set(proposed) == {"Routine", "Failure"} and result["flagged"] == []
    assert all(p["precision"] == 1.0 and p["rows"] == 40 and p["mixed_cluster"] for p in proposed.values())


def test_a_cluster_an_earlier_rule_already_covers_is_counted_redundant(masker, embedder):
    # Nine host names make the first (larger) cluster's rule a word pattern; the second cluster's
    # lines are far enough in embedding space to cluster apart, yet that first rule matches them.
    hosts = ["alpha", "bravo", "charlie", "delta", "foxtrot", "golf", "hotel", "india", "juliet"]
    rows = [("ModernCRM", f"Replica {h} synced with primary", "Routine") for h in hosts for _ in range(3)]
    rows += [("ModernCRM", "Replica zebra-crossing-unit synced with primary", "Routine")] * 12
    df = pd.DataFrame(rows, columns=["source", "log_message", "target_label"])
    result = discover(df, RegexTier([]), masker, embedder, eps=0.27)  # hosts within 0.27 of a neighbour, zebra >= 0.31 away
    assert result["clusters"] == 2 and result["redundant"] == 1
    [rule] = result["proposed"]
    assert re.fullmatch(rule["pattern"], "Replica zebra-crossing-unit synced with primary")
    assert result["covered_unmatched_rows"] == len(rows)
