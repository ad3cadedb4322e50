"""The lists of this app, declared once: the applicant's 个人业绩库 page, and the officers'
申报材料清单 page, API and export."""

from zhicheng.catalog.models import TitleLevel
from zhicheng.common.listing import Col, Filter, Listing

from . import selectors
from .models import CHECKLIST_METHODS, AchievementKind

ACHIEVEMENTS = Listing(
    name="achievements",
    title="个人业绩库",
    permission="applications.apply_application",
    selector=selectors.achievement_list,
    filters=(
        Filter("kind", "类别", "choice", choices=AchievementKind.choices),
        Filter("name", "名称", max_length=100),
        Filter("representative", "代表作", "flag"),
    ),
    columns=(
        Col("类别", "get_kind_display", "kind", choices=AchievementKind.choices, width=10),
        Col("名称", "name", link=True, width=30),
        Col("单位/刊物/来源", "issuer", width=24),
        Col("专业/岗位/排名", "role", width=16),
        Col("时间", "period_display", "start_date", width=22),
        Col("学时", "hours", width=8),
        Col("代表作", lambda a: "代表作" if a.is_representative else "", "is_representative"),
        Col("证明材料", lambda a: f"{a.proof_count} 份", export=False),
    ),
)

CHECKLISTS = Listing(
    name="material-checklists",
    title="申报材料清单",
    permission="achievements.view_materialchecklist",
    selector=selectors.checklist_list,
    filters=(
        Filter("name", "清单名称", max_length=100),
        Filter("level", "职称级别", "choice", choices=TitleLevel.choices),
        Filter(
            "acquisition_method",
            "取得方式",
            "choice",
            choices=[(m.value, m.label) for m in CHECKLIST_METHODS],
        ),
    ),
    columns=(
        Col("清单名称", "name", link=True, width=30),
        Col("职称级别", "get_level_display", "level", choices=TitleLevel.choices, width=10),
        Col(
            "取得方式",
            "get_acquisition_method_display",
            "acquisition_method",
            choices=[(m.value, m.label) for m in CHECKLIST_METHODS],
            width=10,
        ),
        Col("材料项数", "item_count", width=10),
        Col("制定单位", "organization.name", "organization__name", width=30),
        Col("说明", field="note", width=30, page=False),
        Col("修改时间", "updated_at", width=18),
    ),
)
