"""The one error type every layer raises: a WHMCS error envelope as a value."""

from __future__ import annotations


class ApiError(Exception):
    """A WHMCS error answer: ``{"result": "error", "message": ...}`` with an HTTP status.

    Action-level errors are HTTP 200 in WHMCS; access, authentication and permission errors are 403.
    ``result_key`` exists because GetInvoice answers ``{"status": "error", ...}`` instead.
    """

    def __init__(self, message: str, http_status: int = 200, result_key: str = "result") -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.result_key = result_key

    def envelope(self) -> dict[str, str]:
        return {self.result_key: "error", "message": self.message}
