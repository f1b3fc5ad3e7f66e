"""The CLI's second process (logclf/prepare.py) changes where rules and masking run, never what comes out."""

from __future__ import annotations

import csv
import io
import random

import pytest

from logclf.csv_io import CsvReader
from logclf.formats import LinesReader, classify_any
from logclf.prepare import PrepareAhead, prepare
from training.generate_dataset import generate


def _rows(n: int) -> list[list[str]]:
    rng = random.Random(3)
    rows = [[r["source"], r["log_message"]] for r in generate(n, seed=3)]
    for i in range(0, len(rows), 97):  # the routing cases: empty, blank, the LLM source, a secret to mask
        rows[i][1] = rng.choice(["", "   ", "login ok password=hunter2 from 10.0.0.1", rows[i][1]])
        if i % 3 == 0:
            rows[i][0] = "LegacyCRM"
    return rows


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([["source", "log_message"], *rows])
    return buffer.getvalue().encode()


@pytest.fixture(scope="module")
def ahead(base_settings):
    worker = PrepareAhead(base_settings.regex_rules_path, base_settings.masking_path, base_settings.llm_sources)
    yield worker
    worker.close()


def test_prepare_routes_rules_and_templates(cascade):
    sources = ["ModernCRM", "ModernCRM", "LegacyCRM", "ModernCRM"]
    messages = ["Backup completed successfully.", "", "Lead conversion failed for prospect ID 7842", "Disk 42 of host-7 failed"]
    p = prepare(cascade.regex, cascade.masker, cascade.llm_sources, sources, messages)
    assert p.ruled[0] is not None and p.ruled[0].tier == "regex" and p.templates[0] is None  # a rule: no template
    assert p.ruled[1] is None and p.templates[1] is None  # empty: neither
    assert p.ruled[2] is None and p.templates[2] == cascade.masker.template(messages[2])  # LLM source: no rules
    assert p.ruled[3] is None and p.templates[3] == cascade.masker.template(messages[3])


@pytest.mark.parametrize("explain", [False, True])
def test_output_is_the_same_with_the_second_process(make_cascade, ahead, explain):
    data = _csv_bytes(_rows(2400))
    outputs = []
    for worker in (None, ahead):
        cascade = make_cascade()  # a fresh template cache each time
        out = io.StringIO(newline="")
        summary = classify_any(CsvReader(io.BytesIO(data), chunk_rows=500), out, cascade, jsonl=False, explain=explain, ahead=worker)
        outputs.append((out.getvalue(), summary.rows, dict(summary.by_tier)))
    assert outputs[0] == outputs[1]
    assert outputs[1][1] == len(data.splitlines()) - 1 and outputs[1][2]["regex"] > 0 and outputs[1][2]["bert"] > 0


def test_plain_lines_and_json_lines_out_go_through_it_too(make_cascade, ahead):
    lines = "".join(f"Nov 24 10:01:{i % 60:02d} web01 sshd[{i}]: {m}\n" for i, (_, m) in enumerate(_rows(700)) if m.strip())
    outputs = []
    for worker in (None, ahead):
        out = io.StringIO(newline="")
        classify_any(LinesReader(io.BytesIO(lines.encode()), "auth", chunk_rows=150), out, make_cascade(), jsonl=True, ahead=worker)
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1] and outputs[0].count("\n") == lines.count("\n")
