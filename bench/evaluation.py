"""The evaluation cycle at provincial scale (issue 12): a plan of 2,000 participants, 25 experts.

The demo data is loaded (``load_demo``: committee_eng, its expert pool, plan_reviewer,
hr_province), then a plan of this year is set up in bulk: PARTICIPANTS new 评审 applications
(clones of a demo one, qualified for committee_eng, employers unit_a / unit_b), POOL_EXTRA more
正高级 experts of 080201 in the pool, one 专家需求 of PANEL experts (drawn 1:2), 打分细则 60 + 40;
the plan is submitted and approved through the services, and the year's pass-rate cap of the
level is set to 100 % so that everybody with enough votes passes (the cap still runs). Then,
each next to a raw SQL floor doing the same rows' work in one statement (measured first, in a
transaction rolled back, so both read warm data):

- the draw: ``experts.services.panel_draw`` — eligibility with 回避 against the 2,000
  participants, the seeded 1:2 draw, the draw and its 50 members written, the operation log;
  floor: one ``INSERT … SELECT`` of 50 random eligible experts (same 回避) as panel members;
- tally and closing: ``meetings.services.meeting_close`` after every seated expert has scored
  (2 items) and voted on every participant (50,000 votes, 100,000 scores, inserted in bulk) —
  quorum, the tally, ranks, the cap, 2,000 results written, the transition and its log;
  floor: one ``INSERT … SELECT`` of the 2,000 results aggregated from the votes and scores;
- filing: ``filings.services.filing_review`` (审核通过, 备案文号, 备案时间) of the plan after its
  publicity ended — 2,000 TitleHoldings; floor: one ``INSERT … SELECT`` of the same 2,000
  TitleHoldings from the results.

Targets (issue 12): draw ≤ 1 s, tally and closing ≤ 2 s, filing ≤ 3 s; the ratio shows what
the application adds to the raw work. PostgreSQL only (the issue's database for it).
"""

from __future__ import annotations

import copy
import datetime as dt
import time

from bench.results import Result

TITLE = "评审周期：抽取专家、计票结束会议、结果备案（2,000 名参评人员，25 名评审专家）"
DATABASES = ("postgresql",)
PARTICIPANTS = 2000
PANEL = 25
POOL_EXTRA = 60
TARGETS_MS = {"draw": 1000.0, "close": 2000.0, "filing": 3000.0}
NAMES = {
    "draw": f"抽取评审专家（{PANEL} 名 + 备选 {PANEL} 名，回避 {PARTICIPANTS} 名参评人员）",
    "close": f"计票并结束评审会议（{PARTICIPANTS} 人 × {PANEL} 名专家的表决与打分）",
    "filing": f"职称评审结果备案（审核通过，取得职称 {PARTICIPANTS} 条）",
}
FLOORS = {
    "draw": "一条 INSERT … SELECT：随机取 50 名符合条件（含回避）的专家写入专家组",
    "close": "一条 INSERT … SELECT：由表决与打分汇总写入 2,000 条评审结果",
    "filing": "一条 INSERT … SELECT：由评审结果写入 2,000 条取得职称",
}


def planned(db_label: str) -> list[Result]:
    return [
        Result(
            key=f"evaluation.{key}",
            name=NAMES[key],
            db=db_label,
            unit="ms",
            floor_name=FLOORS[key],
            target_kind="max",
            target=target,
        )
        for key, target in TARGETS_MS.items()
    ]


# --- set-up ---------------------------------------------------------------------------------


def _setup():
    """The demo world and the big approved plan; returns (committee account, plan)."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from zhicheng.accounts.models import User
    from zhicheng.applications.models import Application
    from zhicheng.catalog.models import Specialty, TitleSeries
    from zhicheng.experts.models import Expert, ExpertLevel
    from zhicheng.meetings import services as meeting_services
    from zhicheng.orgs.models import Organization
    from zhicheng.persons.models import Person
    from zhicheng.plans import services as plan_services
    from zhicheng.plans.models import EvaluationPlan, PlanParticipant

    call_command("load_demo", verbosity=0)
    account = User.objects.get(username="committee_eng")
    template = (
        Application.objects.filter(plan_participations__plan__committee__account=account)
        .order_by("pk")
        .first()
    )
    committee = template.committee
    today = timezone.localdate()
    employers = list(
        Organization.objects.filter(pk__in=[template.employer_id])
        | Organization.objects.filter(
            pk__in=Application.objects.filter(
                plan_participations__plan__committee=committee
            ).values("employer_id")
        )
    )
    people = Person.objects.bulk_create(
        Person(id_number=f"BENCH{n:08d}", name=f"参评{n}") for n in range(PARTICIPANTS)
    )
    clones = []
    for n, person in enumerate(people):
        app = copy.copy(template)
        app.pk = app.id = None
        app.person_id = person.pk
        app.employer_id = employers[n % len(employers)].pk
        if template.acceptance_number:  # unique: one 受理号 each
            app.acceptance_number = f"SL{today.year}9{n:07d}"
        clones.append(app)
    apps = Application.objects.bulk_create(clones, batch_size=1000)

    # More experts: persons with an account each, at employers no participant works for.
    others = list(Organization.objects.exclude(pk__in=[e.pk for e in employers]).order_by("pk")[:5])
    password = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"bench_expert_{n}", password=password) for n in range(POOL_EXTRA)
    )
    expert_people = Person.objects.bulk_create(
        Person(id_number=f"BENCHX{n:07d}", name=f"专家{n}", user_id=users[n].pk)
        for n in range(POOL_EXTRA)
    )
    specialty = Specialty.objects.get(code="080201")
    Expert.objects.bulk_create(
        Expert(
            committee=committee,
            person=person,
            account_id=person.user_id,
            series=TitleSeries.objects.get(code="engineering"),
            specialty=specialty,
            level=ExpertLevel.FULL,
            employer=others[n % len(others)],
            term_start=today - dt.timedelta(days=30),
            term_end=today + dt.timedelta(days=700),
            created_by=account,
        )
        for n, person in enumerate(expert_people)
    )

    plan = plan_services.plan_create(actor=account, name="评审周期基准方案", year=today.year)
    PlanParticipant.objects.bulk_create(
        (PlanParticipant(plan=plan, application=app) for app in apps), batch_size=1000
    )
    plan_services.expert_requirement_add(
        actor=account, plan=plan, specialty=specialty, level="senior_full", count=PANEL
    )
    plan_services.scoring_item_add(actor=account, plan=plan, name="业绩成果", max_score=60)
    plan_services.scoring_item_add(actor=account, plan=plan, name="答辩", max_score=40)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhicheng.common.samples import pdf_bytes

    plan_services.plan_attachment_add(
        actor=account,
        plan=plan,
        upload=SimpleUploadedFile("评审工作方案.pdf", pdf_bytes(), "application/pdf"),
    )
    plan_services.plan_submit(actor=account, plan=plan)
    plan_services.plan_review(
        actor=User.objects.get(username="plan_reviewer"), plan=plan, approved=True, opinion="同意"
    )
    meeting_services.pass_rate_cap_set(
        actor=User.objects.get(username="hr_province"),
        year=today.year,
        level=template.level,
        max_percent=100,
    )
    return account, EvaluationPlan.objects.get(pk=plan.pk)


def _votes_and_scores(account, plan) -> None:
    """Open the meeting, seat the 25 members, and record every vote and score in bulk (what
    25 experts × 2,000 participants of clicks would have written)."""
    import random

    from zhicheng.experts.models import PanelRole
    from zhicheng.meetings import selectors as meeting_selectors
    from zhicheng.meetings import services as meeting_services
    from zhicheng.meetings.models import Score, Vote, VoteChoice

    meeting_services.meeting_open(actor=account, plan=plan)
    draw = meeting_selectors.panel_draw_of(plan)
    members = list(draw.members.filter(role=PanelRole.MEMBER).values_list("expert_id", flat=True))
    meeting_services.attendance_record(actor=account, plan=plan, present=members)
    meeting = meeting_selectors.plan_meeting(plan)
    participants = list(plan.participants.values_list("pk", flat=True))
    items = list(plan.scoring.order_by("pk"))
    rng = random.Random(12)
    votes, scores = [], []
    for participant in participants:
        for expert in members:
            votes.append(
                Vote(
                    meeting=meeting,
                    expert_id=expert,
                    participant_id=participant,
                    choice=VoteChoice.AGREE if rng.random() < 0.95 else VoteChoice.ABSTAIN,
                )
            )
            for item in items:
                scores.append(
                    Score(
                        meeting=meeting,
                        expert_id=expert,
                        participant_id=participant,
                        item=item,
                        value=rng.randint(item.max_score // 2, item.max_score),
                    )
                )
    Vote.objects.bulk_create(votes, batch_size=5000)
    Score.objects.bulk_create(scores, batch_size=5000)


def _end_publicity(account, plan) -> None:
    """The meeting closed 30 days ago, its publicity ran and ended, and the plan was sent."""
    from django.utils import timezone

    from zhicheng.filings import services as filing_services
    from zhicheng.meetings.models import Meeting

    closed = timezone.now() - dt.timedelta(days=30)
    Meeting.objects.filter(plan=plan).update(closed_at=closed)
    filing_services.publicity_publish(
        actor=account, plan=plan, starts_on=timezone.localdate(closed)
    )
    filing_services.filing_send(actor=account, plan=plan)


# --- the floors -----------------------------------------------------------------------------


def _rolled_back(sql: str, params: list) -> float:
    """Milliseconds of one statement in a transaction that is then rolled back."""
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(sql, params)
            took = time.perf_counter() - started
        transaction.set_rollback(True)
    return took * 1000


def _floor_draw(plan) -> float:
    from django.utils import timezone

    requirement = plan.experts.select_related("specialty").get()
    draw_sql = """
        WITH d AS (
            INSERT INTO experts_paneldraw (plan_id, number, seed, reason, drawn_by_id, drawn_at)
            VALUES (%s, 99, 1, '', %s, now()) RETURNING id
        )
        INSERT INTO experts_panelmember (plan_id, draw_id, expert_id, requirement_id, "order", role)
        SELECT %s, d.id, e.id, %s, row_number() OVER (),
               CASE WHEN row_number() OVER () <= %s THEN 'member' ELSE 'alternate' END
        FROM d, (
            SELECT x.id FROM experts_expert x JOIN catalog_specialty s ON s.id = x.specialty_id
            WHERE x.committee_id = %s AND x.status = 'in_pool' AND x.level = 'full'
              AND s.path LIKE %s AND x.term_start <= %s AND x.term_end >= %s
              AND NOT EXISTS (
                SELECT 1 FROM plans_planparticipant p
                JOIN applications_application a ON a.id = p.application_id
                WHERE p.plan_id = %s AND (a.employer_id = x.employer_id OR a.person_id = x.person_id)
              )
            ORDER BY random() LIMIT %s
        ) e
    """
    today = timezone.localdate()
    return _rolled_back(
        draw_sql,
        [
            plan.pk, plan.committee.account_id, plan.pk, requirement.pk, requirement.count,
            plan.committee_id, requirement.specialty.path + "%", today, today, plan.pk,
            2 * requirement.count,
        ],
    )  # fmt: skip


def _floor_close(meeting) -> float:
    sql = """
        INSERT INTO meetings_meetingresult
            (meeting_id, participant_id, score, present, agree, disagree, abstain, rank,
             passed, cut_reason)
        SELECT %s, p.id, s.score, 25, v.agree, v.disagree, v.abstain,
               row_number() OVER (ORDER BY s.score DESC NULLS LAST, v.agree DESC, p.id),
               v.agree * 3 >= 2 * 25, ''
        FROM plans_planparticipant p
        JOIN (
            SELECT participant_id,
                   count(*) FILTER (WHERE choice = 'agree') AS agree,
                   count(*) FILTER (WHERE choice = 'disagree') AS disagree,
                   count(*) FILTER (WHERE choice = 'abstain') AS abstain
            FROM meetings_vote WHERE meeting_id = %s GROUP BY participant_id
        ) v ON v.participant_id = p.id
        LEFT JOIN (
            SELECT participant_id, round(sum(value) / count(DISTINCT expert_id), 2) AS score
            FROM meetings_score WHERE meeting_id = %s GROUP BY participant_id
        ) s ON s.participant_id = p.id
        WHERE p.plan_id = %s
    """
    return _rolled_back(sql, [meeting.pk, meeting.pk, meeting.pk, meeting.plan_id])


def _floor_filing(filing) -> float:
    from zhicheng.titles.models import TitleHolding

    sql = f"""
        INSERT INTO {TitleHolding._meta.db_table}
            (person_id, title_id, level, specialty_id, acquisition_method, approved_on,
             approving_organization_id, document_number, application_id, created_at,
             revoke_reason)
        SELECT a.person_id, a.title_id, t.level, a.specialty_id, 'evaluation', current_date,
               %s, '苏职备〔2026〕1号', a.id, now(), ''
        FROM meetings_meetingresult r
        JOIN meetings_meeting m ON m.id = r.meeting_id
        JOIN plans_planparticipant p ON p.id = r.participant_id
        JOIN applications_application a ON a.id = p.application_id
        JOIN catalog_title t ON t.id = a.title_id
        WHERE m.plan_id = %s AND r.passed
    """
    return _rolled_back(sql, [filing.filing_organization_id, filing.plan_id])


# --- run ------------------------------------------------------------------------------------


def _timed(fn) -> float:
    """Milliseconds."""
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def run(*, db_label: str, make_officer) -> list[Result]:
    from django.db import connection
    from django.utils import timezone

    from zhicheng.accounts.models import User
    from zhicheng.experts import services as expert_services
    from zhicheng.filings.models import ResultFiling
    from zhicheng.meetings import selectors as meeting_selectors
    from zhicheng.meetings import services as meeting_services
    from zhicheng.titles.models import TitleHolding

    account, plan = _setup()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    results = {r.key.split(".")[1]: r for r in planned(db_label)}

    _floor_draw(plan)  # warm-up
    results["draw"].floor = _floor_draw(plan)
    results["draw"].value = _timed(
        lambda: expert_services.panel_draw(actor=account, plan=plan, seed=20261206)
    )

    _votes_and_scores(account, plan)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    meeting = meeting_selectors.plan_meeting(plan)
    _floor_close(meeting)  # warm-up
    results["close"].floor = _floor_close(meeting)
    results["close"].value = _timed(
        lambda: meeting_services.meeting_close(actor=account, plan=plan)
    )
    passed = meeting.results.filter(passed=True).count()

    _end_publicity(account, plan)
    filing = ResultFiling.objects.get(plan=plan)
    _floor_filing(filing)  # warm-up
    results["filing"].floor = _floor_filing(filing)
    officer = User.objects.get(username="hr_province")
    results["filing"].value = _timed(lambda: _file(officer, filing, timezone.localdate()))
    held = TitleHolding.objects.filter(application__plan_participations__plan=plan).count()
    for result in results.values():
        result.details = {"participants": PARTICIPANTS, "panel": PANEL}
    results["close"].details["passed"] = passed
    results["filing"].details["title_holdings"] = held
    return list(results.values())


def _file(officer, filing, filed_on) -> None:
    from zhicheng.filings import services as filing_services

    filing_services.filing_review(
        actor=officer,
        filing=filing,
        approved=True,
        opinion="同意备案",
        filing_number="苏职备〔2026〕1号",
        filed_on=filed_on,
    )
