"""The seeded 初定 rules (migration 0002; tests that flush the database put them back).

学历, 最低工作年限, 可初定职称级别 — DESIGN: 中专+1年 → 员级, 大专+3年 → 助理级, 本科+1年 → 助理级,
硕士+2年 → 中级, 博士 → 中级.
"""

SEED = [
    ("secondary_vocational", 1, "junior"),
    ("junior_college", 3, "assistant"),
    ("bachelor", 1, "assistant"),
    ("master", 2, "intermediate"),
    ("doctor", 0, "intermediate"),
]


def seed(apps, schema_editor=None) -> None:
    Rule = apps.get_model("applications", "InitialDeterminationRule")
    for education, years, level in SEED:
        Rule.objects.get_or_create(
            education=education, level=level, defaults={"min_years": years, "is_active": True}
        )
