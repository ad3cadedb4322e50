"""Catalog: specialties (职称专业), title series and titles (职称树).

``TitleLevel`` and ``AcquisitionMethod`` are the shared vocabularies other apps import
(routing, committees, applications). Their values are part of the contract in DESIGN.md §2.
"""

from django.db import models


class TitleLevel(models.TextChoices):
    """职称级别."""

    SENIOR_FULL = "senior_full", "正高级"
    SENIOR_DEPUTY = "senior_deputy", "副高级"
    INTERMEDIATE = "intermediate", "中级"
    ASSISTANT = "assistant", "助理级"
    JUNIOR = "junior", "员级"


class AcquisitionMethod(models.TextChoices):
    """职称取得方式."""

    EVALUATION = "evaluation", "评审"
    EXAM = "exam", "考试"
    EXAM_EVALUATION = "exam_evaluation", "考评结合"
    INITIAL = "initial", "初定"
    RECOGNITION = "recognition", "认定"
