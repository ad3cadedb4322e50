"""The one domain error type: services raise it, views and the API turn it into a message."""

from typing import Any


class ApplicationError(Exception):
    """A business rule refused the action. ``message`` is shown to the user (Chinese)."""

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
