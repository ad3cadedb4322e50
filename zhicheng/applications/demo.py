"""Demo applications in every state, made through the real services, so that every list has
something right after ``make run``:

- ``applicant_a`` (张伟, unit_a): 初定 助理实验师 — returned for 补正 of his 学历 and 视为放弃
  after the deadline; 初定 助理工程师 last year — approved (holds the title);
  评审 高级工程师 last year — withdrawn; 认定 助理工程师 — draft (his one open 工程系列
  application); 认定 实验师 (实验技术系列) — returned by the city bureau, waiting at the county
  bureau (上级退回); 认定 助理研究员 (自然科学研究系列) — returned to him with an opinion, for
  补正 of 业绩 and 奖励 only, within 10 working days (issue 14).
- 孙丽 (unit_a): 评审 高级工程师 at ``committee_eng``; 初定 助理实验师 (实验技术) at
  ``hr_city``; 认定 助理研究员 (自然科学研究) just submitted, at ``unit_a``.
- 李娜 (unit_b): 评审 正高级工程师 last year — approved by ``committee_eng``: qualified, a
  participant of the demo 呈报方案 (``plans.demo``); then 评审 高级工程师 at ``hr_province``;
  and a 省外资格确认 (认定 实验师, obtained in 浙江省, the certificate uploaded) at ``unit_b``.
- Every step's 消息 reaches the applicants (``inbox``), with the 受理号 of the first HR level.

One open application per person and 职称系列 (``rules.check_one_open_per_series``): the open
ones of a person are spread over series (080201 机械制造 is a specialty of all three), in an
order in which every one is allowed when made.

Reviewers the demo adds for the levels the core accounts do not cover (password ``Demo@2026``):
``unit_b`` (单位经办, unit_b), ``dept_jn_it`` (单位经办 of the competent department) and
``hr_county_jn`` (人社经办 of the county bureau). 孙丽 and 李娜 log in with their 身份证号.
Idempotent: a person who already has applications is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhicheng.accounts.demo import DEMO_PASSWORD
from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.accounts.services import user_create
from zhicheng.catalog.models import AcquisitionMethod, Specialty, Title
from zhicheng.committees.models import Committee
from zhicheng.common.samples import pdf_bytes, png_bytes
from zhicheng.orgs.models import Organization
from zhicheng.persons.demo import load_demo_persons
from zhicheng.persons.models import Person
from zhicheng.persons.services import applicant_register

from . import services
from .models import Application, AttachmentCategory, Education, ReturnModule, ReturnReason

# username, real name, organization key, role
REVIEWERS = [
    ("unit_b", "软件技术公司经办", "unit_b", Role.EMPLOYER_OFFICER),
    ("dept_jn_it", "江宁区工信局经办", "dept_jn_it", Role.EMPLOYER_OFFICER),
    ("hr_county_jn", "江宁区人社局经办", "county_jn", Role.HR_OFFICER),
]

# Who acts at each organization of unit_a's and unit_b's routes.
ACTOR_AT = {
    "unit_a": "unit_a",
    "unit_b": "unit_b",
    "dept_jn_it": "dept_jn_it",
    "county_jn": "hr_county_jn",
    "city_nj": "hr_city",
    "province": "hr_province",
}

PERSONAL = {
    "zhang_wei": {
        "education": Education.BACHELOR,
        "school": "南京工业大学",
        "major": "机械设计制造及其自动化",
        "graduation_date": dt.date(2010, 6, 30),
        "work_start_date": dt.date(2010, 7, 15),
        "current_title_name": "工程师",
        "current_title_date": dt.date(2016, 12, 1),
    },
    "sun_li": {
        "education": Education.BACHELOR,
        "school": "河海大学",
        "major": "电气工程及其自动化",
        "graduation_date": dt.date(2013, 6, 30),
        "work_start_date": dt.date(2013, 7, 1),
        "current_title_name": "工程师",
        "current_title_date": dt.date(2018, 12, 1),
    },
    "li_na": {
        "education": Education.MASTER,
        "school": "东南大学",
        "major": "计算机科学与技术",
        "graduation_date": dt.date(2014, 6, 30),
        "work_start_date": dt.date(2014, 7, 1),
        "current_title_name": "工程师",
        "current_title_date": dt.date(2017, 12, 1),
    },
}

# (title, acquisition method, year offset, steps[, series code]) — steps: "submit", "<org key>"
# approves, "committee" approves, ("return", org key, opinion, reasons), "withdraw"; the series
# is 工程 unless given.
PLANS = {
    "zhang_wei": [
        # 视为放弃: returned for 补正 of his 学历 and not resubmitted by the deadline (first:
        # it no longer blocks his 实验技术 application below).
        ("助理实验师", AcquisitionMethod.INITIAL, 0,
         ["submit", ("return", "unit_a", "学历证书扫描件不完整，请上传学位证和毕业证", [
             ReturnReason.EDUCATION], {"modules": [ReturnModule.EDUCATION],
                                       "deadline_workdays": 5}), "expire"], "laboratory"),
        ("助理工程师", AcquisitionMethod.INITIAL, -1,
         ["submit", "unit_a", "dept_jn_it", "county_jn", "city_nj"]),
        ("高级工程师", AcquisitionMethod.EVALUATION, -1, ["submit", "withdraw"]),
        ("实验师", AcquisitionMethod.RECOGNITION, 0,
         ["submit", "unit_a", "dept_jn_it", "county_jn",
          ("return", "city_nj", "现职称证书扫描件不清晰，请单位核实后重新报送", [
              ReturnReason.CURRENT_TITLE])], "laboratory"),
        ("助理研究员", AcquisitionMethod.RECOGNITION, 0,
         ["submit", ("return", "unit_a", "业绩材料不足，请补充近五年主持的项目证明和获奖证书", [
             ReturnReason.PERFORMANCE, ReturnReason.MATERIALS_MISSING],
             {"modules": [ReturnModule.PERFORMANCE, ReturnModule.AWARDS],
              "deadline_workdays": 10})],
         "natural_science_research"),
        ("助理工程师", AcquisitionMethod.RECOGNITION, 0, []),
    ],
    "sun_li": [
        ("高级工程师", AcquisitionMethod.EVALUATION, 0,
         ["submit", "unit_a", "dept_jn_it", "county_jn", "city_nj", "province"]),
        ("助理实验师", AcquisitionMethod.INITIAL, 0,
         ["submit", "unit_a", "dept_jn_it", "county_jn"], "laboratory"),
        ("助理研究员", AcquisitionMethod.RECOGNITION, 0, ["submit"], "natural_science_research"),
    ],
    "li_na": [
        ("正高级工程师", AcquisitionMethod.EVALUATION, -1,
         ["submit", "unit_b", "dept_jn_it", "county_jn", "city_nj", "province", "committee"]),
        ("高级工程师", AcquisitionMethod.EVALUATION, 0,
         ["submit", "unit_b", "dept_jn_it", "county_jn", "city_nj"]),
    ],
}  # fmt: skip

EMPLOYER = {"zhang_wei": "unit_a", "sun_li": "unit_a", "li_na": "unit_b"}

# 省外资格确认: (person, title, series, province, the other province's certificate number).
OUT_OF_PROVINCE = ("li_na", "实验师", "laboratory", "浙江省", "浙人社职证〔2020〕0456号")


def _reviewers(orgs: dict[str, Organization]) -> None:
    for username, real_name, org_key, role in REVIEWERS:
        if not User.objects.filter(username=username).exists():
            user_create(
                username=username,
                real_name=real_name,
                organization=orgs[org_key],
                roles=[role],
                password=DEMO_PASSWORD,
                must_change_password=False,
            )


def _login(person: Person) -> User:
    if person.user_id is None:
        person = applicant_register(
            name=person.name,
            id_number=person.id_number,
            mobile=person.mobile,
            password=DEMO_PASSWORD,
        )
    return person.user


def _attach(user: User, app: Application) -> None:
    for category, name, content in (
        (AttachmentCategory.ID_CARD, "身份证.png", png_bytes(60, 40)),
        (AttachmentCategory.DIPLOMA, "学历证书.pdf", pdf_bytes()),
    ):
        services.attachment_add(
            actor=user,
            application=app,
            category=category,
            upload=SimpleUploadedFile(name, content, "application/octet-stream"),
        )


def _apply(user, person_key, orgs, committee, title_name, method, year, steps, series) -> None:
    employer = orgs[EMPLOYER[person_key]]
    title = Title.objects.get(series__code=series, name=title_name)
    app = services.application_create(
        actor=user,
        acquisition_method=method,
        title=title,
        specialty=Specialty.objects.get(code="080201"),
        employer=employer,
        committee=committee if method == AcquisitionMethod.EVALUATION else None,
        notice_acknowledged=True,
        integrity_pledged=True,
        year=year,
        work_experiences=[
            {"start_date": PERSONAL[person_key]["work_start_date"],
             "organization_name": employer.name, "position": "专业技术岗"}
        ],
        **PERSONAL[person_key],
    )  # fmt: skip
    _attach(user, app)
    for step in steps:
        if step == "submit":
            app = services.application_submit(actor=user, application=app)
        elif step == "withdraw":
            app = services.application_withdraw(actor=user, application=app)
        elif step == "expire":
            # The scheduled job, run as on the day after the 补正 deadline.
            app = services.application_expire(
                application=app, today=app.correction_deadline + dt.timedelta(days=1)
            )
        elif isinstance(step, tuple):
            _, org_key, opinion, reasons, *extra = step
            actor = User.objects.get(username=ACTOR_AT[org_key])
            app = services.application_return(
                actor=actor, application=app, opinion=opinion, reasons=reasons, **(extra or [{}])[0]
            )
        else:
            actor = (
                committee.account
                if step == "committee"
                else User.objects.get(username=ACTOR_AT[step])
            )
            app = services.application_approve(
                actor=actor, application=app, opinion="同意"
            ).application


def load(orgs: dict[str, Organization]) -> None:
    _reviewers(orgs)
    persons = load_demo_persons(orgs)
    committee = Committee.objects.filter(account__username="committee_eng").first()
    this_year = timezone.localdate().year
    for person_key, plans in PLANS.items():
        person = persons[person_key]
        if Application.objects.filter(person=person).exists():
            continue
        user = _login(person)
        for title_name, method, offset, steps, *series in plans:
            if method == AcquisitionMethod.EVALUATION and committee is None:
                continue
            year = this_year + offset
            series_code = series[0] if series else "engineering"
            _apply(user, person_key, orgs, committee, title_name, method, year, steps, series_code)
    _out_of_province(orgs, persons)


def _out_of_province(orgs: dict[str, Organization], persons: dict[str, Person]) -> None:
    """One submitted 省外资格确认 (a 认定 with the other province's certificate)."""
    person_key, title_name, series, province, number = OUT_OF_PROVINCE
    person = Person.objects.get(pk=persons[person_key].pk)  # its login made above
    if Application.objects.filter(person=person, out_of_province=True).exists():
        return
    user = _login(person)
    employer = orgs[EMPLOYER[person_key]]
    app = services.application_create(
        actor=user,
        acquisition_method=AcquisitionMethod.RECOGNITION,
        title=Title.objects.get(series__code=series, name=title_name),
        specialty=Specialty.objects.get(code="080201"),
        employer=employer,
        notice_acknowledged=True,
        integrity_pledged=True,
        work_experiences=[
            {"start_date": PERSONAL[person_key]["work_start_date"],
             "organization_name": employer.name, "position": "专业技术岗"}
        ],
        out_of_province=True,
        origin_province=province,
        origin_certificate_number=number,
        **PERSONAL[person_key],
    )  # fmt: skip
    _attach(user, app)
    services.attachment_add(
        actor=user,
        application=app,
        category=AttachmentCategory.OUT_OF_PROVINCE_CERTIFICATE,
        upload=SimpleUploadedFile("浙江省职称证书.pdf", pdf_bytes(), "application/pdf"),
    )
    services.application_submit(actor=user, application=app)
