"""Corrections: the SQLite store, the overrides file and the override tier (no model, no server)."""

from __future__ import annotations

import sqlite3

import pytest

from logclf.corrections import (
    ANY_SOURCE,
    CorrectionStore,
    OverrideTier,
    export_csv,
    export_yaml,
    load_overrides_file,
    lookup_table,
)
from logclf.decision import Batch
from logclf.errors import UserError
from logclf.masking import Masker
from logclf.settings import RESOURCES

LABELS = ["Error", "Critical Error", "System Notification", "Security Alert"]


@pytest.fixture(scope="module")
def template_of():
    return Masker.from_file(RESOURCES / "masking.yaml").template


@pytest.fixture()
def store(tmp_path, template_of):
    s = CorrectionStore(tmp_path / "corrections.sqlite3", template_of, LABELS)
    yield s
    s.close()


def decide(tier: OverrideTier, template_of, rows: list[tuple[str, str]]) -> list[str | None]:
    sources, messages = [s for s, _ in rows], [m for _, m in rows]
    decisions = tier.decide(Batch(sources, messages, [template_of(m) for m in messages]))
    return [d.label if d else None for d in decisions]


def test_one_correction_covers_every_line_of_its_template(store, template_of):
    c = store.add("ModernCRM", "Export job 4411 failed: timeout writing to bucket", "Critical Error")
    assert c.id > 0 and c.template == template_of("Export job 4411 failed: timeout writing to bucket")
    tier = OverrideTier(store.table)
    labels = decide(
        tier,
        template_of,
        [
            ("ModernCRM", "Export job 98 failed: timeout writing to bucket"),  # same template, other id
            ("BillingSystem", "Export job 98 failed: timeout writing to bucket"),  # other source: not covered
            ("ModernCRM", "Export job 98 finished"),  # other template
        ],
    )
    assert labels == ["Critical Error", None, None]
    d = tier.decide(Batch(["ModernCRM"], ["Export job 1 failed: timeout writing to bucket"], [c.template]))[0]
    assert (d.tier, d.confidence) == ("override", 1.0)


def test_any_source_and_a_source_specific_correction(store, template_of):
    store.add(None, "Disk quota exceeded for user 7", "Error")
    store.add("ModernHR", "Disk quota exceeded for user 7", "Critical Error")
    labels = decide(
        OverrideTier(store.table), template_of, [("X", "Disk quota exceeded for user 9"), ("ModernHR", "Disk quota exceeded for user 9")]
    )
    assert labels == ["Error", "Critical Error"]  # the source's own correction wins over the any-source one
    assert {c.source for c in store.list()} == {ANY_SOURCE, "ModernHR"}


def test_correcting_a_template_again_replaces_its_label(store):
    first = store.add("A", "Job 1 failed", "Error")
    second = store.add("A", "Job 2 failed", "Critical Error")
    assert second.id == first.id and store.count() == 1
    assert store.list()[0].target_label == "Critical Error"


def test_unknown_label_is_refused_with_the_allowed_list(store):
    with pytest.raises(UserError, match="unknown label 'Oops'; allowed: Error, Critical Error") as exc:
        store.add("A", "Job 1 failed", "Oops")
    assert exc.value.http_status == 422
    with pytest.raises(UserError, match="log_message is empty"):
        store.add("A", "   ", "Error")
    assert store.count() == 0


def test_delete(store, template_of):
    c = store.add("A", "Job 1 failed", "Error")
    tier = OverrideTier(store.table)
    assert decide(tier, template_of, [("A", "Job 5 failed")]) == ["Error"]
    assert store.delete(c.id) and not store.delete(c.id)
    assert decide(tier, template_of, [("A", "Job 5 failed")]) == [None]


def test_the_store_survives_a_restart_and_sees_other_writers(tmp_path, template_of):
    path = tmp_path / "c.sqlite3"
    one = CorrectionStore(path, template_of, LABELS)
    one.add("A", "Job 1 failed", "Error")
    tier = OverrideTier(one.table)
    assert decide(tier, template_of, [("A", "Job 2 failed")]) == ["Error"]
    other = CorrectionStore(path, template_of, LABELS)  # a second process (or a restarted server)
    assert [c.target_label for c in other.list()] == ["Error"]
    other.add("A", "Node 3 is down", "Critical Error")
    other.close()
    assert decide(tier, template_of, [("A", "Node 9 is down")]) == ["Critical Error"]  # seen without a restart
    one.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM corrections").fetchone()[0] == 2


def test_exports_round_trip_through_the_overrides_file(store, template_of, tmp_path):
    store.add("ModernCRM", 'Payment "x" of 12 EUR failed', "Error")
    store.add(None, "Node db-7 is down", "Critical Error")
    path = tmp_path / "overrides.yaml"
    path.write_text(export_yaml(store.list()), encoding="utf-8")
    loaded = load_overrides_file(path, template_of, LABELS)
    assert lookup_table(loaded) == lookup_table(store.list())
    csv_text = export_csv(store.list())
    assert csv_text.splitlines()[0] == "source,log_message,target_label"
    assert 'ModernCRM,"Payment ""x"" of 12 EUR failed",Error' in csv_text.splitlines()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("overrides: [{log_message: a}]", "override #1 needs 'target_label'"),
        ("overrides: [{log_message: a, target_label: Nope}]", "override #1: unknown label 'Nope'"),
        ("overrides: {a: 1}", "expected a top-level 'overrides:' list"),
        ("overrides: [\n", "not a readable YAML overrides file"),
    ],
)
def test_overrides_file_errors_name_the_file(tmp_path, template_of, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match=message) as exc:
        load_overrides_file(path, template_of, LABELS)
    assert str(path) in str(exc.value)


def test_missing_overrides_file(tmp_path, template_of):
    with pytest.raises(UserError, match="file not found"):
        load_overrides_file(tmp_path / "nope.yaml", template_of, LABELS)


def test_hand_written_template_entries(tmp_path, template_of):
    path = tmp_path / "o.yaml"
    path.write_text("overrides:\n  - template: 'Job <NUM> failed'\n    target_label: Error\n", encoding="utf-8")
    (c,) = load_overrides_file(path, template_of, LABELS)
    assert (c.source, c.template, c.target_label) == (ANY_SOURCE, "Job <NUM> failed", "Error")


def test_corrections_go_into_training_data(tmp_path, template_of):
    import pandas as pd

    from logclf.corrections import apply_corrections, load_corrections_for_training

    df = pd.DataFrame(
        {
            "source": ["A", "A", "B", "A"],
            "log_message": ["Job 1 failed", "Job 2 failed", "Job 3 failed", "Node 4 up"],
            "target_label": ["Error", "Error", "Error", "System Notification"],
        }
    )
    path = tmp_path / "corrections.csv"
    path.write_text("source,log_message,target_label\nA,Job 9 failed,Critical Error\n", encoding="utf-8")
    corrections = load_corrections_for_training(path, template_of, LABELS)
    out, added, relabelled = apply_corrections(df, corrections, template_of)
    assert (added, relabelled) == (1, 2)
    assert out["target_label"].tolist() == ["Critical Error", "Critical Error", "Error", "System Notification", "Critical Error"]
    assert out["log_message"].iloc[-1] == "Job 9 failed"
    bad = tmp_path / "bad.csv"
    bad.write_text("source,log_message,target_label\nA,x,Nope\n", encoding="utf-8")
    with pytest.raises(UserError, match="line 2: unknown label 'Nope'"):
        load_corrections_for_training(bad, template_of, LABELS)
