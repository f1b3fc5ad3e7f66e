"""The HTTP service from a checkout: `uvicorn server:app`, then POST a CSV to /classify/, or open / or /docs.

The app lives in logclf/server.py (`logclf serve` runs the same app). Importing this module reads
the settings; a bad one is one line on stderr and exit status 2. The models load at start-up.
"""

from logclf.server import app_from_env, create_app  # noqa: F401 (create_app: for tests and embedding)

app = app_from_env()
