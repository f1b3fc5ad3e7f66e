"""The reusable parts of the LLM tier (`logclf.tiers.llm.LLMTier`): accounting, the answer cache, pace and failure
control, prompt and parsing, and the provider clients. A new provider is one small class in `providers.py`."""
