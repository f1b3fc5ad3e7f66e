"""`logclf train --corrections`: a server export goes into the next model, and outweighs generated lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from training.generate_dataset import generate, write_csv

pytestmark = pytest.mark.slow  # runs the CLI, a server or the model

ROOT = Path(__file__).resolve().parent.parent
LINE = "Failed to send notification email: SMTP connection refused"


def test_corrections_relabel_their_template_in_the_next_model(tmp_path, embedder):
    from logclf.bundle import ModelBundle
    from logclf.masking import Masker
    from logclf.settings import Settings

    data, model = tmp_path / "logs.csv", tmp_path / "model.joblib"
    rows = generate(600, seed=3)
    rows += [{**rows[0], "source": "ModernCRM", "log_message": LINE, "target_label": "Error"} for _ in range(3)]
    write_csv(rows, data)
    corrections = tmp_path / "corrections.csv"
    corrections.write_text(f"source,log_message,target_label\n*,{LINE},Critical Error\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "logclf", "train", "--data", str(data), "--output", str(model)]
        + ["--corrections", str(corrections), "--split", "0.2", "--seed", "5"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    assert "corrections from corrections.csv: 1 corrected line(s) added" in run.stderr
    bundle = ModelBundle.load(model)
    assert bundle.metadata["corrections"].startswith("corrections from corrections.csv: 1 corrected line(s) added")
    template = Masker.from_file(Settings().masking_path).template(LINE)
    proba = bundle.predict_proba(embedder.encode([template]), [template])[0]
    assert bundle.classes[int(np.argmax(proba))] == "Critical Error"


def test_an_unknown_label_in_corrections_is_one_line_exit_2(tmp_path):
    data = tmp_path / "logs.csv"
    write_csv(generate(200, seed=3), data)
    corrections = tmp_path / "c.csv"
    corrections.write_text("source,log_message,target_label\nA,x 1,Nope\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "logclf", "train", "--data", str(data), "--output", str(tmp_path / "m.joblib")]
        + ["--corrections", str(corrections)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 2
    assert run.stderr.strip().splitlines()[-1].startswith(f"error: {corrections}: line 2: unknown label 'Nope'; allowed:")
