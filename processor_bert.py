"""Tier 2, MiniLM embeddings + logistic regression, kept only when confident: `BertTier` (logclf/tiers/bert.py).

The threshold comes from the model bundle; ML_CONFIDENCE_THRESHOLD overrides it.
"""

from logclf.tiers.bert import BertTier  # noqa: F401

__all__ = ["BertTier"]
