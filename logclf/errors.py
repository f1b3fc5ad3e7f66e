"""The one error type for input or configuration a person must fix."""

from __future__ import annotations


class UserError(Exception):
    """Something a person must fix: a bad file, a missing column, a malformed setting or data file.

    The CLI prints the message as one line and exits with `exit_status`; the server answers `http_status`
    with `{"detail": message}`.
    """

    exit_status = 2

    def __init__(self, message: str, *, http_status: int = 400):
        super().__init__(message)
        self.http_status = http_status
