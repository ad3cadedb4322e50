"""Demo 呈报方案: ``committee_eng`` compiles this year's plan with the applicants qualified for it
(李娜, see ``applications.demo``), its expert needs, scoring rules and an attachment, and submits
it — ``plan_reviewer`` finds it 待审核 in 1.13; a 特殊 plan stays a draft. Idempotent."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.catalog.models import Specialty
from zhicheng.common.samples import pdf_bytes
from zhicheng.plans import selectors, services
from zhicheng.plans.models import EvaluationPlan

SCORING = (
    ("业绩成果", 40, "近五年主持或参与的项目、成果及其效益"),
    ("专业能力", 30, "专业理论水平和解决复杂技术问题的能力"),
    ("答辩", 30, "现场答辩表现"),
)


def load(orgs) -> None:
    account = User.objects.filter(username="committee_eng").first()
    if account is None or EvaluationPlan.objects.filter(committee__account=account).exists():
        return
    year = timezone.localdate().year
    plan = services.plan_create(
        actor=account,
        name=f"{year}年度工程技术高级职称评审方案",
        year=year,
        note="按江苏省工程技术高级职称评审条件组织评审",
    )
    candidates = list(selectors.candidates(plan=plan).values_list("pk", flat=True))
    if candidates:
        services.plan_participants_add(actor=account, plan=plan, application_ids=candidates)
    services.expert_requirement_add(
        actor=account,
        plan=plan,
        specialty=Specialty.objects.get(code="080201"),
        level="senior_full",
        count=7,
        note="其中外单位专家不少于3人",
    )
    for name, score, description in SCORING:
        services.scoring_item_add(
            actor=account, plan=plan, name=name, max_score=score, description=description
        )
    services.plan_attachment_add(
        actor=account,
        plan=plan,
        upload=SimpleUploadedFile("评审工作方案.pdf", pdf_bytes(), "application/pdf"),
    )
    if candidates:
        services.plan_submit(actor=account, plan=plan)
    services.plan_create(
        actor=account,
        name=f"{year}年度工程技术高级职称破格评审方案",
        year=year,
        is_special=True,
        special_reason="业绩特别突出人员破格申报",
    )
