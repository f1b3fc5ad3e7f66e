"""The level as evidence (issue 27): spellings, the Bayes update, and the level travelling from every input
to the ML tier. Model-backed tests use the real MiniLM model (session fixtures in conftest.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from logclf.headers import SEVERITIES
from logclf.levels import LEVEL_FLOOR, bucket, level_table, likelihoods, updated_confidence


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
