"""Tier 3, an LLM (Groq, or any OpenAI-compatible server) for label-scarce sources and unsure rows: `LLMTier`
(logclf/tiers/llm.py). Only masked templates leave the machine unless LLM_SEND=raw.
"""

from logclf.tiers.llm import LLMTier  # noqa: F401

__all__ = ["LLMTier"]
