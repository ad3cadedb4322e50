"""Demo 评后公示 and 1.15 备案: ``committee_eng`` gets two more plans of this year, each with
three applicants of its own (new demo persons at unit_a and unit_b, each 评审 高级工程师 approved
up the route to the committee), submitted and approved by ``plan_reviewer``, their panels
drawn from the demo pool (``expert_a`` and ``expert_b`` among the members):

- “{year}年度工程技术高级职称第二批评审方案”: its meeting held today through the services — the
  experts, expert_a and expert_b among them, score and vote with their own logins (they see
  their votes in 我的评审); the first participant passes, the second has the votes but is cut
  by the 副高级 pass-rate cap (55 % of 3 = 1), the third is voted down — and 评后公示 under way
  (from today); anyone reads it at ``/publicity/``;
- “{year}年度工程技术高级职称第一批评审方案”: its meeting recorded as closed 20 days ago
  (``meetings.testing``: the demo path, not a real vote — a real meeting closes today), two of
  three passing; its publicity ended, an objection was recorded and found 不成立, and the plan
  waits for ``hr_province`` in 1.15.

Idempotent: a plan of that name is left alone. A date the holiday calendar does not know yet
(after its last year) leaves the plan unpublished rather than guessing.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhicheng.accounts.demo import DEMO_PASSWORD
from zhicheng.accounts.models import User
from zhicheng.applications import services as application_services
from zhicheng.applications.demo import ACTOR_AT, PERSONAL
from zhicheng.applications.models import AttachmentCategory
from zhicheng.catalog.models import AcquisitionMethod, Specialty, Title
from zhicheng.committees.models import Committee
from zhicheng.common.errors import ApplicationError
from zhicheng.common.samples import pdf_bytes, png_bytes
from zhicheng.experts import demo as experts_demo
from zhicheng.experts import services as expert_services
from zhicheng.filings import services
from zhicheng.meetings import demo as meetings_demo
from zhicheng.meetings import selectors as meeting_selectors
from zhicheng.meetings.testing import meeting_record_closed  # lint: allow-layer (demo path)
from zhicheng.orgs.models import Organization
from zhicheng.persons.demo import demo_id_number
from zhicheng.persons.models import Person
from zhicheng.persons.services import applicant_register
from zhicheng.plans import services as plan_services
from zhicheng.plans.models import EvaluationPlan

COMMITTEE_ACCOUNT = "committee_eng"
REVIEWER = "plan_reviewer"
# batch → (name, birth, sequence, employer key, mobile); the third of each batch fails.
APPLICANTS = {
    "第一批": [
        ("钱文军", "19840612", "411", "unit_a", "13851000101"),
        ("孙晓梅", "19860218", "422", "unit_b", "13851000102"),
        ("周志明", "19821130", "433", "unit_a", "13851000103"),
    ],
    "第二批": [
        ("吴建华", "19850407", "451", "unit_b", "13851000104"),
        ("郑丽娟", "19871022", "462", "unit_a", "13851000105"),
        ("王海涛", "19830915", "473", "unit_b", "13851000106"),
    ],
}
ROUTE = ["dept_jn_it", "county_jn", "city_nj", "province"]


def _qualified_application(orgs, committee, name, birth, seq, employer_key, mobile):
    """A new demo applicant's 评审 高级工程师, approved up to the committee (参评资格)."""
    number = demo_id_number("320115", birth, seq)
    person = Person.objects.filter(id_number=number).first()
    if person is None or person.user_id is None:
        person = applicant_register(
            name=name, id_number=number, mobile=mobile, password=DEMO_PASSWORD
        )
    user = person.user
    employer = orgs[employer_key]
    app = application_services.application_create(
        actor=user,
        acquisition_method=AcquisitionMethod.EVALUATION,
        title=Title.objects.get(series__code="engineering", name="高级工程师"),
        specialty=Specialty.objects.get(code="080201"),
        employer=employer,
        committee=committee,
        notice_acknowledged=True,
        integrity_pledged=True,
        year=timezone.localdate().year,
        work_experiences=[
            {
                "start_date": PERSONAL["sun_li"]["work_start_date"],
                "organization_name": employer.name,
                "position": "专业技术岗",
            }
        ],
        **PERSONAL["sun_li"],
    )
    for category, file_name, content in (
        (AttachmentCategory.ID_CARD, "身份证.png", png_bytes(60, 40)),
        (AttachmentCategory.DIPLOMA, "学历证书.pdf", pdf_bytes()),
    ):
        application_services.attachment_add(
            actor=user,
            application=app,
            category=category,
            upload=SimpleUploadedFile(file_name, content, "application/octet-stream"),
        )
    app = application_services.application_submit(actor=user, application=app)
    for level in [employer_key, *ROUTE]:
        actor = User.objects.get(username=ACTOR_AT[level])
        app = application_services.application_approve(
            actor=actor, application=app, opinion="同意"
        ).application
    return application_services.application_approve(
        actor=committee.account, application=app, opinion="同意"
    ).application


def _approved_plan(orgs, committee, name, batch) -> EvaluationPlan:
    account = committee.account
    apps = [_qualified_application(orgs, committee, *row) for row in APPLICANTS[batch]]
    year = timezone.localdate().year
    plan = plan_services.plan_create(actor=account, name=name, year=year)
    plan_services.plan_participants_add(
        actor=account, plan=plan, application_ids=[a.pk for a in apps]
    )
    plan_services.expert_requirement_add(
        actor=account,
        plan=plan,
        specialty=Specialty.objects.get(code="080201"),
        level="senior_full",
        count=7,
    )
    plan_services.scoring_item_add(actor=account, plan=plan, name="业绩成果", max_score=60)
    plan_services.scoring_item_add(actor=account, plan=plan, name="答辩", max_score=40)
    plan_services.plan_attachment_add(
        actor=account,
        plan=plan,
        upload=SimpleUploadedFile("评审工作方案.pdf", pdf_bytes(), "application/pdf"),
    )
    plan_services.plan_submit(actor=account, plan=plan)
    plan_services.plan_review(
        actor=User.objects.get(username=REVIEWER), plan=plan, approved=True, opinion="同意"
    )
    # A pool that cannot meet the needs leaves the plan without a panel.
    with contextlib.suppress(ApplicationError):
        expert_services.panel_draw(actor=account, plan=plan, seed=experts_demo.demo_seed(plan))
    return plan


def _closed(plan, account, closed_on: dt.date) -> list:
    participants = list(plan.participants.order_by("pk"))
    meeting_record_closed(
        actor=account,
        plan=plan,
        results={participants[2].pk: False},
        closed_at=timezone.make_aware(dt.datetime.combine(closed_on, dt.time(16, 0))),
    )
    return participants


def load(orgs: dict[str, Organization]) -> None:
    account = User.objects.filter(username=COMMITTEE_ACCOUNT).first()
    committee = Committee.objects.filter(account=account).first() if account else None
    if committee is None or not committee.is_active:
        return
    if not User.objects.filter(username=REVIEWER).exists():
        return
    today = timezone.localdate()
    year = today.year
    under_way = f"{year}年度工程技术高级职称第二批评审方案"
    awaiting = f"{year}年度工程技术高级职称第一批评审方案"
    if not EvaluationPlan.objects.filter(committee=committee, name=awaiting).exists():
        plan = _approved_plan(orgs, committee, awaiting, "第一批")
        started = today - dt.timedelta(days=20)
        participants = _closed(plan, account, started)
        try:
            services.publicity_publish(
                actor=account, plan=plan, starts_on=started, note="公示期间接受实名反映"
            )
        except ApplicationError:
            return
        objection = services.objection_record(
            actor=account,
            participant=participants[0],
            content="反映其主持项目的验收时间与申报材料不符",
            source="匿名来信",
        )
        services.objection_resolve(
            actor=account,
            objection=objection,
            upheld=False,
            resolution="经核查项目验收报告，验收时间与申报材料一致，异议不成立",
        )
        services.filing_send(actor=account, plan=plan)
    if not EvaluationPlan.objects.filter(committee=committee, name=under_way).exists():
        plan = _approved_plan(orgs, committee, under_way, "第二批")
        draw = meeting_selectors.panel_draw_of(plan)
        participants = list(plan.participants.order_by("pk"))
        if draw is not None:
            meetings_demo.hold(account, plan, draw, voted_down={participants[2].pk})
        else:  # a pool that could not give a panel: the demo path
            _closed(plan, account, today)
        try:
            services.publicity_publish(
                actor=account, plan=plan, starts_on=today, note="公示期间接受实名反映"
            )
        except ApplicationError:
            return
