import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class ComplexityValidator:
    """At least three of: upper-case letter, lower-case letter, digit, symbol."""

    classes = (r"[A-Z]", r"[a-z]", r"\d", r"[^A-Za-z0-9]")

    def validate(self, password: str, user=None) -> None:
        if sum(bool(re.search(c, password)) for c in self.classes) < 3:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return "密码须至少包含大写字母、小写字母、数字、符号中的三类"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a Chinese message (Django 5.2 reworded the English message
    and its zh-hans catalogue has no translation for the new wording yet)."""

    def get_error_message(self) -> str:
        return f"密码太短，至少需要{self.min_length}个字符"

    def get_help_text(self) -> str:
        return f"密码至少需要{self.min_length}个字符"
