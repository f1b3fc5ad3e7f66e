"""The level as evidence (issue 27): spellings, the Bayes update, and the level travelling from every input
to the ML tier. Model-backed tests use the real MiniLM model (session fixtures in conftest.py); the level
table is made by hand, since the shipped bundle has none until it is retrained."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import numpy as np
import pandas as pd
import pytest

from logclf.headers import SEVERITIES
from logclf.levels import LEVEL_FLOOR, bucket, level_table, likelihoods, updated_confidence

RAISED = "Service payments is down: all replicas crashed"  # the model: Critical Error, ~0.84
RIVAL = "Unable to write checkpoint: disk error"  # Error ~0.82, Critical Error second
WEAK = "Replication lag exceeded, data inconsistency detected"  # Critical Error below LEVEL_FLOOR


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("FATAL", "CRIT"),
        ("critical", "CRIT"),
        (" crit ", "CRIT"),
        ("PANIC", "CRIT"),
        ("F", "CRIT"),
        ("c", "CRIT"),
        ("EMERG", "EMERG"),
        ("Emergency", "EMERG"),
        ("alert", "ALERT"),
        ("ERROR", "ERROR"),
        ("err", "ERROR"),
        ("E", "ERROR"),
        ("SEVERE", "ERROR"),
        ("WARN", "WARNING"),
        ("warning", "WARNING"),
        ("w", "WARNING"),
        ("NOTICE", "NOTICE"),
        ("N", "NOTICE"),
        ("INFO", "INFO"),
        ("Info", "INFO"),
        ("I", "INFO"),
        ("Information", "INFO"),
        ("DEBUG", "DEBUG"),
        ("TRACE", "DEBUG"),
        ("V", "DEBUG"),
        ("Verbose", "DEBUG"),
        ("FINE", "DEBUG"),
        ("finer", "DEBUG"),
        ("FINEST", "DEBUG"),
        ("<0>", "EMERG"),
        ("<3>", "ERROR"),
        ("<7>", "DEBUG"),
        ("4", "WARNING"),
        ("", None),
        ("   ", None),
        ("LOUD", None),
        ("<9>", None),
        ("8", None),
        (None, None),
    ],
)
def test_bucket_normalises_spellings(raw, expected):
    assert bucket(raw) == expected


def test_every_bucket_is_a_syslog_severity():
    assert {bucket(s) for s in SEVERITIES} == set(SEVERITIES)


CLASSES = ["Critical Error", "Error", "System Notification"]


def _matrix() -> np.ndarray:
    """Critical Error mostly CRIT, Error mostly ERROR, System Notification mostly INFO."""
    rows = [("Critical Error", "CRIT")] * 20 + [("Error", "ERROR")] * 20 + [("Error", "CRIT")] * 2 + [("System Notification", "INFO")] * 20
    table = level_table([r[0] for r in rows] + ["Error"], [r[1] for r in rows] + [None], CLASSES)
    return likelihoods(table, CLASSES)


def test_level_table_is_add_one_smoothed_and_ignores_rows_without_a_level():
    table = level_table(["Error", "Error", "Error"], ["ERROR", None, "ERROR"], ["Error", "Critical Error"])
    assert table["Error"]["ERROR"] == pytest.approx(3 / 10) and table["Error"]["DEBUG"] == pytest.approx(1 / 10)
    assert all(v == pytest.approx(1 / 8) for v in table["Critical Error"].values())  # no rows: uniform
    assert likelihoods({}, ["Error"]).tolist() == [[1 / 8] * 8]  # a label the table lacks: the level says nothing


def test_absent_level_changes_nothing():
    proba = np.array([[0.6, 0.3, 0.1], [0.2, 0.7, 0.1]])
    best = proba.argmax(axis=1)
    assert updated_confidence(proba, best, [None, None], _matrix()).tolist() == [0.6, 0.7]


def test_crit_raises_critical_error_only_where_the_message_predicts_it():
    proba = np.array([[0.6, 0.3, 0.1], [0.3, 0.6, 0.1]])
    best = proba.argmax(axis=1)
    after = updated_confidence(proba, best, ["CRIT", "CRIT"], _matrix())
    assert after[0] > 0.6  # the message says Critical Error: FATAL makes it surer
    assert after[1] < 0.6  # the message says Error: FATAL only makes that less sure, the label stays


def test_a_raise_needs_the_floor_but_a_drop_does_not():
    proba = np.array([[LEVEL_FLOOR - 0.05, 0.4, 0.15], [0.1, 0.2, 0.7]])
    best = proba.argmax(axis=1)
    assert best.tolist() == [0, 2]
    after = updated_confidence(proba, best, ["CRIT", "CRIT"], _matrix())
    assert after[0] == pytest.approx(LEVEL_FLOOR - 0.05)  # would rise, but the message is too unsure
    assert after[1] < 0.7  # a routine line at FATAL: less sure


# ---------------------------------------------------------------------------------------------- the model


@pytest.fixture(scope="module")
def leveled_bundle(bundle):
    """The shipped bundle with a level table: Critical Error written at CRIT, the rest at INFO/ERROR."""
    labels, levels = [], []
    for label in bundle.classes:
        typical = {"Critical Error": "CRIT", "Error": "ERROR", "Security Alert": "WARNING"}.get(label, "INFO")
        labels += [label] * 50
        levels += [typical] * 45 + ["ERROR"] * 5
    return dataclasses.replace(bundle, level_table=level_table(labels, levels, bundle.classes))


@pytest.fixture(scope="module")
def unleveled_bundle(bundle):
    """The shipped bundle as trained on data without levels (an older bundle, or a corpus without the column)."""
    return dataclasses.replace(bundle, level_table=None)


class CountingEmbedder:
    """The real embedder, counting what it is asked to encode (not a mock: it returns the real vectors)."""

    def __init__(self, embedder):
        self.embedder, self.encoded = embedder, []

    def __getattr__(self, name):
        return getattr(self.embedder, name)

    def encode(self, texts, *args, **kwargs):
        self.encoded += list(texts)
        return self.embedder.encode(texts, *args, **kwargs)


@pytest.fixture()
def leveled(base_settings, leveled_bundle, embedder, tmp_path):
    from logclf.cascade import Cascade

    counting = CountingEmbedder(embedder)
    settings = base_settings.with_(llm_cache_path=tmp_path / "llm.sqlite3", confidence_threshold=0.9)
    cascade = Cascade.from_settings(settings, bundle=leveled_bundle, embedder=counting)
    yield cascade, counting
    cascade.close()


def test_bundle_round_trip_with_and_without_a_level_table(unleveled_bundle, leveled_bundle, tmp_path):
    from logclf.bundle import ModelBundle

    leveled_bundle.save(tmp_path / "with.joblib")
    assert ModelBundle.load(tmp_path / "with.joblib").level_table == leveled_bundle.level_table
    unleveled_bundle.save(tmp_path / "without.joblib")
    assert ModelBundle.load(tmp_path / "without.joblib").level_table is None


def test_the_level_never_changes_the_label(leveled_bundle, embedder):
    from logclf.decision import Batch
    from logclf.tiers.bert import BertTier

    tier = BertTier(leveled_bundle, embedder, threshold=0.0, min_similarity=0.0)
    messages = [RAISED, RIVAL, WEAK, "Backup completed successfully."]
    plain = tier.decide(Batch([""] * 4, messages, messages))
    for level in SEVERITIES:
        with_level = tier.decide(Batch([""] * 4, messages, messages, [level] * 4))
        assert [d.label for d in with_level] == [d.label for d in plain]
    assert [d.label for d in plain[:3]] == ["Critical Error", "Error", "Critical Error"]
    fatal = tier.decide(Batch([""] * 4, messages, messages, ["CRIT"] * 4))
    assert fatal[0].confidence > plain[0].confidence  # agrees with the message: surer
    assert fatal[1].confidence < plain[1].confidence  # Error stays Error, less sure
    assert fatal[2].confidence == plain[2].confidence < LEVEL_FLOOR  # below the floor: no raise
    assert fatal[3].confidence < plain[3].confidence
    assert tier.decide(Batch([""] * 4, messages, messages, [None] * 4)) == plain


def test_an_older_bundle_or_ml_use_levels_off_ignores_levels(unleveled_bundle, leveled_bundle, embedder):
    from logclf.decision import Batch
    from logclf.tiers.bert import BertTier

    batch = Batch([""], [RAISED], [RAISED], ["CRIT"])
    assert not BertTier(unleveled_bundle, embedder).uses_levels
    assert not BertTier(leveled_bundle, embedder, use_levels=False).uses_levels
    without = Batch([""], [RAISED], [RAISED])
    assert BertTier(unleveled_bundle, embedder, threshold=0.0).decide(batch) == BertTier(unleveled_bundle, embedder, threshold=0.0).decide(
        without
    )
    off = BertTier(leveled_bundle, embedder, threshold=0.0, use_levels=False)
    assert off.decide(batch) == off.decide(without)


def test_the_cascade_keeps_one_decision_per_level_and_embeds_a_template_once(leveled):
    cascade, counting = leveled
    sources = ["payments"] * 4
    messages = [RAISED] * 4
    decisions = cascade.classify(sources, messages, levels=["FATAL", "", "crit", "info"])
    assert len(counting.encoded) == 1  # one template, three level buckets (CRIT, none, INFO): embedded once
    assert decisions[0] == decisions[2] and decisions[0].tier == "bert"  # FATAL and crit: the same bucket
    assert decisions[1].tier != "bert"  # message alone ~0.84 < 0.9: unsure
    assert decisions[0].reason.startswith("level CRIT raised 0.8") and "->" in decisions[0].reason
    counting.encoded.clear()
    again = cascade.classify(sources, messages, levels=["FATAL", "", "crit", "info"])
    assert counting.encoded == [] and [d.label for d in again] == [d.label for d in decisions]  # remembered per level


# ---------------------------------------------------------------------------------------------- inputs


class Recording:
    """A real cascade that remembers the levels each batch carried."""

    def __init__(self, cascade):
        self.cascade, self.levels = cascade, []

    def classify(self, sources, messages, prepared=None, levels=None):
        self.levels.append(None if levels is None else list(levels))
        return self.cascade.classify(sources, messages, prepared, levels)

    def llm_stats(self):
        return self.cascade.llm_stats()


def _run(data: bytes, name: str, cascade, **options) -> str:
    from logclf.formats import classify_any, open_input

    out = io.StringIO()
    classify_any(open_input(io.BytesIO(data), name), out, cascade, jsonl=name.endswith(".jsonl"), **options)
    return out.getvalue()


def test_a_csv_level_column_reaches_the_ml_tier_and_the_output_is_unchanged(leveled):
    cascade, _ = leveled
    data = f'source,Severity,log_message,extra\npayments,FATAL,"{RAISED}",007\nbilling,,"{RAISED}",\n'.encode()
    recording = Recording(cascade)
    text = _run(data, "logs.csv", recording, explain=True)
    assert recording.levels == [["FATAL", ""]]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["source", "Severity", "log_message", "extra", "target_label", "classified_by", "confidence", "reason"]
    assert rows[1][:4] == ["payments", "FATAL", RAISED, "007"] and rows[2][:4] == ["billing", "", RAISED, ""]
    assert rows[1][4] == "Critical Error" and rows[1][7].startswith("level CRIT raised")  # the --explain note


def test_a_csv_without_levels_is_classified_as_before(leveled):
    cascade, _ = leveled
    recording = Recording(cascade)
    _run(f'source,log_message\npayments,"{RAISED}"\n'.encode(), "logs.csv", recording)
    assert recording.levels == [None]


def test_the_level_parsed_off_raw_lines_reaches_the_ml_tier(leveled):
    cascade, _ = leveled
    lines = f"2024-05-01 10:00:00,123 FATAL {RAISED}\n2024-05-01 10:00:01,456 INFO Backup completed successfully.\n"
    recording = Recording(cascade)
    text = _run(lines.encode(), "app.log", recording, explain=True)
    assert recording.levels and [bucket(x) for x in recording.levels[0]] == ["CRIT", "INFO"]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][3] == "FATAL" and rows[1][5] == RAISED and rows[1][6] == "Critical Error"


def test_a_json_lines_level_field_reaches_the_ml_tier(leveled):
    cascade, _ = leveled
    records = [{"source": "payments", "msg": RAISED, "LogLevel": "fatal", "n": 1}, {"source": "payments", "msg": RAISED}]
    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    recording = Recording(cascade)
    text = _run(data, "logs.jsonl", recording, explain=True)
    assert recording.levels == [["fatal", None]]
    out = [json.loads(line) for line in text.splitlines()]
    assert {k: out[0][k] for k in records[0]} == records[0] and out[0]["reason"].startswith("level CRIT raised")


# ---------------------------------------------------------------------------------------------- HTTP


@pytest.fixture(scope="module")
def leveled_client(base_settings, leveled_bundle, embedder, tmp_path_factory):
    from fastapi.testclient import TestClient

    from logclf.cascade import Cascade
    from logclf.server import create_app

    settings = base_settings.with_(llm_cache_path=tmp_path_factory.mktemp("levels-llm") / "cache.sqlite3", confidence_threshold=0.9)
    loader = lambda s: Cascade.from_settings(s, bundle=leveled_bundle, embedder=embedder)  # noqa: E731
    with TestClient(create_app(settings, loader)) as client:
        yield client


def test_http_json_lines_carry_a_level(leveled_client):
    body = {"logs": [{"source": "payments", "log_message": RAISED, "level": "FATAL"}, {"source": "payments", "log_message": RAISED}]}
    response = leveled_client.post("/classify/json", json=body)
    assert response.status_code == 200, response.text
    first, second = response.json()["results"]
    assert first["target_label"] == "Critical Error" and first["classified_by"] == "bert"
    assert first["reason"].startswith("level CRIT raised")
    assert second["classified_by"] != "bert"  # the message alone is below 0.9


def test_http_csv_upload_with_a_level_column(leveled_client):
    data = f'source,level,log_message\npayments,<2>,"{RAISED}"\npayments,,"{RAISED}"\n'.encode()
    response = leveled_client.post("/classify/", files={"file": ("logs.csv", data, "text/csv")}, params={"explain": "true"})
    assert response.status_code == 200, response.text
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[1][:3] == ["payments", "<2>", RAISED] and rows[1][3] == "Critical Error" and rows[1][4] == "bert"
    assert rows[2][4] != "bert"


# ---------------------------------------------------------------------------------------------- evaluation


def test_leave_family_out_with_and_without_levels(embedder, base_settings):
    from logclf.masking import Masker
    from logclf.tiers.regex import RegexTier
    from logclf.training.evaluate import LEVEL_TABLES
    from logclf.training.lofo import format_lofo, leave_family_out
    from training.corpus import generate as corpus

    keep = {"web", "linux-auth", "databases", "business", "runtimes"}
    df = pd.DataFrame([r for r in corpus(2500, seed=6) if r["group"] in keep])
    masker, regex = Masker.from_file(base_settings.masking_path), RegexTier.from_file(base_settings.regex_rules_path)
    both = leave_family_out(df, embedder, masker, regex, ("LegacyCRM",), levels="both")
    off = leave_family_out(df, embedder, masker, regex, ("LegacyCRM",), levels="off")
    assert [key for key, _ in LEVEL_TABLES] == list(both)
    assert both["levels_off"]["overall"] == off["overall"]  # sharing the fits changes nothing
    on = both["levels_on"]
    assert set(on["groups"]) == keep and on["overall"]["kept_accuracy"] > 0.8
    assert "overall" in format_lofo(on)
    no_level = leave_family_out(df.assign(level=""), embedder, masker, regex, ("LegacyCRM",), levels="on")
    assert no_level["overall"] == off["overall"]  # without any level, "on" is "off"


def test_the_corpus_level_column():
    from training.corpus import generate as corpus

    rows = corpus(3000, seed=4)
    levels = [r["level"] for r in rows]
    blank = sum(not level for level in levels) / len(rows)
    assert 0.3 < blank < 0.5
    assert all(bucket(level) is not None for level in levels if level)
    assert {"E", "<3>", "SEVERE", "FATAL"} <= set(levels)
    errors = {bucket(r["level"]) for r in rows if r["target_label"] == "Error" and r["level"]}
    assert errors >= {"ERROR", "WARNING"}  # a failure is not always logged at ERROR: the level is not the label
    assert corpus(3000, seed=4) == rows


def test_training_stores_a_level_table_only_when_the_data_has_levels(embedder, base_settings):
    from logclf.masking import Masker
    from logclf.tiers.regex import RegexTier
    from logclf.training.train import train_bundle
    from training.corpus import generate as corpus

    keep = {"HTTP Status", "Error", "Critical Error", "System Notification"}
    df = pd.DataFrame([r for r in corpus(1500, seed=5) if r["target_label"] in keep])
    masker, regex = Masker.from_file(base_settings.masking_path), RegexTier([])
    descriptions = {label: "" for label in sorted(keep)}
    with_levels = train_bundle(df, descriptions, embedder, masker, regex, seed=3).bundle
    assert set(with_levels.level_table) == set(with_levels.classes)
    assert with_levels.level_table["Critical Error"]["CRIT"] > with_levels.level_table["System Notification"]["CRIT"]
    without = train_bundle(df.drop(columns=["level"]), descriptions, embedder, masker, regex, seed=3).bundle
    assert without.level_table is None
