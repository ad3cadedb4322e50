"""`manage.py load_demo`: what each module's demo gives, and that loading again changes nothing.

The demo is loaded once for this module (it takes 4 s on SQLite and 7 s on PostgreSQL; ten
tests each loading it cost CI a minute and a half), inside a transaction that is rolled back
after the last test. Each test runs in a savepoint of it (the ``db`` fixture), so what one
test changes — an approval, a second load — the next one does not see.

The load runs with the production settings' 单位内部公示 rule on: the replayed history must
approve through it.
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from zhicheng.accounts.demo import DEMO_PASSWORD
from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role

README = Path(__file__).resolve().parents[3] / "README.md"
ACCOUNT_ROW = re.compile(r"^\| `([^`]+)` \| ([^|]+?) \|", re.MULTILINE)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, loaded once; rolled back when the module's tests are done."""
    media = tmp_path_factory.mktemp("demo_media")
    # The tests' fast hasher (a function-scoped fixture) is not in place yet.
    fast_hasher = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast_hasher),
        transaction.atomic(),
    ):
        call_command("load_demo", verbosity=0)
        yield media
        transaction.set_rollback(True)


@pytest.fixture
def reload(demo):
    """``load_demo`` once more (in the test's savepoint; the module's MEDIA_ROOT holds)."""
    return lambda: call_command("load_demo", verbosity=0)


def test_the_readme_lists_every_demo_account_with_its_roles(db, demo):
    # Issue 9: five working accounts beyond the README's nine accepted the demo password
    # unannounced.
    documented = dict(ACCOUNT_ROW.findall(README.read_text(encoding="utf-8")))
    with_demo_password = {
        user.username: "、".join(user.role_labels)
        for user in User.objects.filter(is_active=True)
        if user.check_password(DEMO_PASSWORD)
    }
    assert with_demo_password
    assert {name: documented.get(name) for name in with_demo_password} == with_demo_password


def test_the_demo_fills_every_list_and_is_idempotent(db, reload):
    """Applications in every state for applicant_a and others, waiting at every demo reviewer."""
    from zhicheng.applications import selectors
    from zhicheng.applications.models import Application, ApplicationStatus
    from zhicheng.titles.models import TitleHolding

    mine = Application.objects.filter(applicant__username="applicant_a")
    assert set(mine.values_list("status", flat=True)) == set(ApplicationStatus.values)
    assert TitleHolding.objects.filter(person__user__username="applicant_a").count() == 1
    flagged = mine.get(status=ApplicationStatus.UNDER_REVIEW)
    assert flagged.returned_from.name == "南京市人力资源和社会保障局"
    waiting = {}
    for username in ("unit_a", "hr_county_jn", "hr_city", "hr_province", "committee_eng"):
        user = User.objects.get(username=username)
        todo = selectors.application_list(user=user, scope=selectors.Scope.TODO)
        waiting[username] = [(app.status, app.route_position) for app in todo]
    # One application waits at each demo reviewer, at that reviewer's place on its route.
    under_review = ApplicationStatus.UNDER_REVIEW
    assert waiting == {
        "unit_a": [(under_review, 0)],
        "hr_county_jn": [(under_review, 2)],
        "hr_city": [(under_review, 3)],
        "hr_province": [(under_review, 4)],
        "committee_eng": [(under_review, 5)],
    }
    counts = Application.objects.count()
    reload()
    assert Application.objects.count() == counts


def test_the_demo_keeps_the_one_open_application_per_series_rule(db, demo):
    from django.utils import timezone

    from zhicheng.applications import rules
    from zhicheng.persons.models import Person

    today = timezone.localdate()
    for person in Person.objects.filter(applications__isnull=False).distinct():
        for app in rules.open_applications(person.pk, today=today):
            rules.check_one_open_per_series(app, today)


def test_demo_library_and_checklist_idempotent(db, reload):
    """张伟's filled library ticked into his draft, the province's checklist."""
    from zhicheng.achievements.models import Achievement, AchievementProof, MaterialChecklist

    library = Achievement.objects.filter(person__user__username="applicant_a")
    assert library.count() == 7
    assert AchievementProof.objects.filter(achievement__in=library).count() == 7
    assert library.filter(is_representative=True).exists()
    draft = library.first().application_links.get().application
    assert draft.status == "draft" and draft.achievement_links.count() == 7
    checklist = MaterialChecklist.objects.get()
    assert checklist.items.count() == 5
    reload()
    assert library.count() == 7 and MaterialChecklist.objects.count() == 1


@pytest.mark.unit_publicity
def test_the_demo_has_a_pending_unit_and_a_finished_publicity(db, reload, settings, client):
    """A unit awaiting approval, and a unit with its 内部公示 done whose officer can recommend
    at once."""
    from zhicheng.applications import services as application_services
    from zhicheng.units import selectors
    from zhicheng.units.demo import pending_uscc
    from zhicheng.units.models import RegistrationStatus, UnitPublicity, UnitRegistration

    assert settings.ZHICHENG_UNIT_PUBLICITY_REQUIRED
    reg = UnitRegistration.objects.get(uscc=pending_uscc())
    assert reg.status == RegistrationStatus.PENDING
    hr_city = User.objects.get(username="hr_city")
    assert reg in selectors.unit_registration_list(user=hr_city)
    (publicity,) = UnitPublicity.objects.all()
    assert publicity.has_result
    officer = User.objects.get(username="unit_a")
    app = publicity.applications.first()
    assert selectors.unit_publicity_problem(app) == ""
    response = client.post("/login/", {"username": reg.uscc, "password": DEMO_PASSWORD})
    assert "等待主管单位" in response.content.decode()
    reload()
    assert UnitPublicity.objects.count() == 1 and UnitRegistration.objects.count() == 1
    outcome = application_services.application_approve(actor=officer, application=app)
    assert outcome.application.route_position == 1


def test_the_demo_gives_each_plan_list_something(db, reload):
    """A submitted 正常 plan waits for ``plan_reviewer``; the 特殊 one is the committee's draft."""
    from zhicheng.plans import selectors
    from zhicheng.plans.models import EvaluationPlan

    reviewer = User.objects.get(username="plan_reviewer")
    (waiting,) = selectors.plan_review_list(user=reviewer, special=False, status="submitted")
    assert waiting.participant_count == 1 and waiting.attachments.count() == 1
    committee = User.objects.get(username="committee_eng")
    # + the two plans of filings.demo (评后公示 under way, awaiting 1.15 备案).
    assert selectors.plan_list(user=committee).count() == 4
    reload()
    assert EvaluationPlan.objects.count() == 4


def test_demo_pool_logins_and_a_drawn_panel_idempotent(db, reload):
    """committee_eng's pool with logins expert_a / expert_b; an approved plan gets its panel
    drawn by the next load."""
    from zhicheng.experts.demo import DEMO_EXPERTS
    from zhicheng.experts.models import Expert, PanelDraw
    from zhicheng.plans.models import EvaluationPlan, PlanStatus
    from zhicheng.plans.services import plan_review

    committee = User.objects.get(username="committee_eng")
    assert Expert.objects.filter(committee__account=committee).count() == len(DEMO_EXPERTS)
    for username in ("expert_a", "expert_b"):
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD) and not user.must_change_password
        assert user.has_role(Role.EXPERT)
    # The submitted demo plan has no panel (filings.demo draws those of its own two plans).
    plan = EvaluationPlan.objects.get(status=PlanStatus.SUBMITTED)
    assert not PanelDraw.objects.filter(plan=plan).exists()
    before = PanelDraw.objects.count()
    plan_review(actor=User.objects.get(username="plan_reviewer"), plan=plan, approved=True)
    reload()
    draw = PanelDraw.objects.get(plan=plan)
    assert draw.members.count() == 14
    reload()
    assert PanelDraw.objects.count() == before + 1
    assert Expert.objects.count() == len(DEMO_EXPERTS)


def test_demo_experts_voted_in_the_closed_meeting(db, reload, client):
    """The closed meeting was held through the services: expert_a and expert_b scored and
    voted with their own logins and see their votes in 我的评审."""
    from zhicheng.experts.models import Expert
    from zhicheng.meetings.models import Meeting, MeetingResult, MeetingStatus, Vote

    meeting = Meeting.objects.get(plan__name__contains="第二批")
    assert meeting.status == MeetingStatus.CLOSED
    results = list(MeetingResult.objects.filter(meeting=meeting).order_by("rank"))
    assert [r.passed for r in results] == [True, False, False]
    assert "通过率上限" in results[1].cut_reason and results[2].disagree == results[2].present
    for username in ("expert_a", "expert_b"):
        expert = Expert.objects.get(account__username=username)
        assert Vote.objects.filter(meeting=meeting, expert=expert).count() == 3
        client.force_login(User.objects.get(username=username))
        html = client.get(reverse("meetings:review-list")).content.decode()
        assert meeting.plan.name in html and "同意" in html
    votes = Vote.objects.count()
    reload()
    assert Vote.objects.count() == votes and Meeting.objects.count() == 2


def test_the_demo_gives_publicity_and_filing_something(db, reload, client):
    """A publicity under way (read at /publicity/) and a plan awaiting filing by hr_province."""
    from zhicheng.filings import selectors
    from zhicheng.filings.models import FilingStatus, Publicity, ResultFiling

    (under_way,) = selectors.public_publicities()
    assert "第二批" in under_way.plan.name
    # A real meeting: one passes, one is cut by the 副高级 cap, one is voted down.
    assert selectors.publicity_passed(plan=under_way.plan).count() == 1
    hr = User.objects.get(username="hr_province")
    (waiting,) = selectors.filing_list(user=hr, status=FilingStatus.PENDING)
    assert "第一批" in waiting.plan.name
    assert selectors.publicity_passed(plan=waiting.plan).count() == 2
    assert waiting.plan.panel_draws.exists()
    html = client.get(reverse("publicity")).content.decode()
    assert under_way.plan.name in html
    reload()
    assert Publicity.objects.count() == 2 and ResultFiling.objects.count() == 1


def test_the_demo_reports_some_waits_some_and_fails_one(db, reload):
    """1.18 证书报送人社部: some certificates reported, some waiting, one failed."""
    from zhicheng.certificates import selectors
    from zhicheng.certificates.models import Certificate, NationalReport, NationalReportStatus

    statuses = sorted(NationalReport.objects.values_list("status", flat=True))
    assert statuses == sorted([NationalReportStatus.DELIVERED] * 2 + [NationalReportStatus.FAILED])
    officer = User.objects.get(username="hr_city")
    assert selectors.certificates_awaiting_report_count(user=officer) == 1
    failed = NationalReport.objects.get(status=NationalReportStatus.FAILED)
    assert failed.last_error and failed.attempts == 1
    counts = (Certificate.objects.count(), NationalReport.objects.count())
    reload()
    assert (Certificate.objects.count(), NationalReport.objects.count()) == counts
