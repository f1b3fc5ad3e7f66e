"""The three tiers, each a `logclf.decision.Tier`: regex rules, the ML tier ("bert") and the LLM tier."""
