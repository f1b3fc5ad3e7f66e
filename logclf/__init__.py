"""Shared internals of the hybrid log classifier (settings, CSV I/O, masking, model bundle).

The tiers live in `logclf/tiers/` and `logclf/cascade.py` routes rows through them; `logclf/cli.py`
is the `logclf` command and `logclf/server.py` the HTTP service.
"""

__version__ = "0.1.0"
