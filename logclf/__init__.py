"""Shared internals of the hybrid log classifier (settings, CSV I/O, masking, model bundle).

The tiers live at the top level (`processor_regex.py`, `processor_bert.py`, `processor_llm.py`)
and `cascade.py` wires them together.
"""

__version__ = "0.1.0"
