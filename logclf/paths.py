"""Where the package's data lives: rules, masks, labels, header formats, the shipped model, the web page.

They are package data, found through `importlib.resources`, so an installed wheel finds them from
any directory. In a checkout, `logclf/resources`, `logclf/models` and `logclf/web` are links to the
top-level folders people edit. Settings can point each data file at a user's own copy.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

PACKAGE = Path(str(files("logclf")))
RESOURCES = PACKAGE / "resources"
MODELS = PACKAGE / "models"
WEB = PACKAGE / "web"


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/logclf when XDG_CACHE_HOME is an absolute path (per the XDG spec), else ~/.cache/logclf."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "logclf"
