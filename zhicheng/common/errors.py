"""The one domain error type: services raise it, views and the API turn it into a message."""

from typing import Any


class ApplicationError(Exception):
    """A business rule refused the action. ``message`` is shown to the user (Chinese)."""

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


def validation_message(exc) -> str:
    """A Django ``ValidationError`` as one Chinese sentence list ("…；…")."""
    if hasattr(exc, "error_dict"):
        return "；".join(m for msgs in exc.message_dict.values() for m in msgs)
    return "；".join(exc.messages)


def full_clean_or_raise(obj, **kwargs) -> None:
    """``obj.full_clean(**kwargs)``, a failure raised as ``ApplicationError`` (field errors kept
    in ``extra["errors"]`` for the API). Every service validates through this one function."""
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        extra = {"errors": exc.message_dict} if hasattr(exc, "error_dict") else None
        raise ApplicationError(validation_message(exc), extra) from None
