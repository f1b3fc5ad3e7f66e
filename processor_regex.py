"""Tier 1, regex rules for rigidly templated lines: `RegexTier` (logclf/tiers/regex.py).

The rules themselves are data, in resources/regex_rules.yaml.
"""

from logclf.tiers.regex import RegexTier, Rule  # noqa: F401

__all__ = ["RegexTier", "Rule"]
