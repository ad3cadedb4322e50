"""专家库 and the draw: reproducibility, 回避, shortfall, redraw, scope, who may draw."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from zhicheng.accounts.roles import Role
from zhicheng.applications.tests.conftest import specialty
from zhicheng.committees import services as committee_services
from zhicheng.committees.models import CommitteeLevel
from zhicheng.common.errors import ApplicationError
from zhicheng.experts import selectors, services
from zhicheng.experts.models import Expert, ExpertLevel, ExpertStatus, PanelRole

pytestmark = pytest.mark.django_db


def panel_of(draw):
    return [(m.expert_id, m.role, m.order) for m in selectors.panel_members(draw=draw)]


def test_add_creates_an_expert_login_and_the_pool_entry(world, fill_pool):
    expert = fill_pool(1)[0]
    assert expert.status == ExpertStatus.IN_POOL
    assert expert.account.has_role(Role.EXPERT)
    assert expert.account.username.startswith("zj")
    assert expert.committee == world.committee


def test_a_person_in_two_pools_keeps_one_login(world, fill_pool, make_user):
    first = fill_pool(1)[0]
    other_account = make_user(world.orgs["organizer_eng"], Role.COMMITTEE, username="t_other")
    today = timezone.localdate()
    other, _ = committee_services.committee_create(
        actor=world.officers["province"],
        name="另一个评委会",
        level=CommitteeLevel.SENIOR,
        series=first.series,
        approval_number="苏人社职〔2026〕2号",
        valid_from=today - dt.timedelta(days=1),
        valid_until=today + dt.timedelta(days=300),
        organization=world.orgs["province"],
        existing_account=other_account,
    )
    added = services.expert_add(
        actor=other_account,
        id_number=first.person.id_number,
        name=first.person.name,
        series=first.series,
        specialty=first.specialty,
        level=first.level,
        employer=first.employer,
        term_start=today,
        term_end=today,
    )
    assert added.expert.account == first.account and added.initial_password == ""
    # … and a committee never sees another committee's experts.
    assert list(selectors.expert_list(user=other_account)) == [added.expert]
    assert first not in selectors.expert_list(user=other_account)
    with pytest.raises(ApplicationError, match="不在管辖范围"):
        services.expert_leave(actor=other_account, expert=first, reason="测试")


def test_same_person_twice_in_one_pool_is_refused(fill_pool, world):
    expert = fill_pool(1)[0]
    with pytest.raises(ApplicationError, match="已在"):
        fill_pool(1, id_number=expert.person.id_number, name=expert.person.name)


def test_leave_needs_a_reason_then_return(world, fill_pool):
    expert = fill_pool(1)[0]
    officer = world.officers["province"]
    with pytest.raises(ApplicationError, match="出库原因"):
        services.expert_leave(actor=officer, expert=expert, reason="  ")
    expert = services.expert_leave(actor=officer, expert=expert, reason="退休")
    assert expert.status == ExpertStatus.OUT and expert.leave_reason == "退休"
    with pytest.raises(ApplicationError):
        services.expert_leave(actor=officer, expert=expert, reason="再次")
    expert = services.expert_return(actor=officer, expert=expert)
    assert expert.status == ExpertStatus.IN_POOL and expert.leave_reason == ""


def test_update_and_term_check(world, fill_pool):
    expert = fill_pool(1)[0]
    officer = world.officers["province"]
    expert = services.expert_update(actor=officer, expert=expert, level=ExpertLevel.DEPUTY)
    assert expert.level == ExpertLevel.DEPUTY
    with pytest.raises(ApplicationError, match="聘任期止"):
        services.expert_update(
            actor=officer, expert=expert, term_end=expert.term_start - dt.timedelta(days=1)
        )


def test_hr_officer_of_another_subtree_sees_nothing(world, fill_pool, orgs, make_user):
    fill_pool(2)
    suzhou = make_user(orgs["city_sz"], Role.HR_OFFICER, username="t_sz")
    assert not selectors.expert_list(user=suzhou).exists()
    assert selectors.expert_list(user=world.officers["province"]).count() == 2
    with pytest.raises(ApplicationError, match="评委会不存在"):
        services.pool_committee(actor=suzhou, committee=world.committee)


# --- the draw --------------------------------------------------------------------------------


def test_draw_is_one_to_two_and_reproducible(approved_plan, committee_user, fill_pool):
    fill_pool(20)
    draw = services.panel_draw(actor=committee_user, plan=approved_plan, seed=12345)
    members = panel_of(draw)
    assert len(members) == 14
    assert [role for _e, role, _o in members] == [PanelRole.MEMBER] * 7 + [PanelRole.ALTERNATE] * 7
    assert draw.seed == 12345 and draw.number == 1
    # Same seed, same pool → same panel (in the same order).
    again = services.panel_select(plan=approved_plan, seed=12345)
    assert [(s.expert_id, s.role) for s in again] == [(e, r) for e, r, _o in members]
    other = services.panel_select(plan=approved_plan, seed=54321)
    assert [s.expert_id for s in other] != [e for e, _r, _o in members]


def test_fresh_seed_is_stored_and_shown(approved_plan, committee_user, fill_pool):
    fill_pool(14)
    draw = services.panel_draw(actor=committee_user, plan=approved_plan)
    assert 0 <= draw.seed < services.SEED_LIMIT
    entry = LogEntry.objects.filter(object_pk=str(draw.pk)).latest("pk")
    assert str(draw.seed) in entry.additional_data["summary"]


def test_avoidance_of_participants_employer_and_person(
    approved_plan, committee_user, fill_pool, world
):
    colleagues = fill_pool(3, employer="unit_a")  # 张伟's employer
    participant_person = approved_plan.participants.get().application.person
    himself = fill_pool(
        1, id_number=participant_person.id_number, name=participant_person.name, employer="unit_c"
    )[0]
    others = fill_pool(14)
    draw = services.panel_draw(actor=committee_user, plan=approved_plan, seed=7)
    drawn = {e for e, _r, _o in panel_of(draw)}
    assert drawn == {e.pk for e in others}
    assert not drawn & {e.pk for e in [*colleagues, himself]}


def test_shortfall_is_refused_naming_the_specialty(approved_plan, committee_user, fill_pool):
    fill_pool(10)
    fill_pool(3, level=ExpertLevel.DEPUTY)  # 正高级 required: these do not count
    out = fill_pool(1)[0]
    services.expert_leave(actor=committee_user, expert=out, reason="调离")
    fill_pool(1, term_end=timezone.localdate() - dt.timedelta(days=1),
              term_start=timezone.localdate() - dt.timedelta(days=30))  # fmt: skip
    with pytest.raises(ApplicationError) as exc:
        services.panel_draw(actor=committee_user, plan=approved_plan)
    name = specialty("080201").name
    assert exc.value.message == f"专业“{name}”符合条件的专家不足：需要 14 名，仅有 10 名"
    assert not approved_plan.panel_draws.exists()


def test_redraw_needs_a_reason_and_is_audited(approved_plan, committee_user, fill_pool):
    fill_pool(16)
    first = services.panel_draw(actor=committee_user, plan=approved_plan, seed=1)
    with pytest.raises(ApplicationError, match="重新抽取须填写原因"):
        services.panel_draw(actor=committee_user, plan=approved_plan)
    second = services.panel_draw(actor=committee_user, plan=approved_plan, reason="专家临时回避")
    assert second.number == 2 and second.reason == "专家临时回避"
    assert selectors.panel_current_draw(plan=approved_plan) == second
    entry = LogEntry.objects.filter(object_pk=str(second.pk)).latest("pk")
    assert entry.additional_data["operation"] == "redraw"
    assert "专家临时回避" in entry.additional_data["summary"]
    assert first.members.count() == 14  # the earlier draw stays as history


def test_only_the_committee_draws_and_only_an_approved_plan(
    complete_plan, committee_user, fill_pool, world, make_user
):
    fill_pool(14)
    with pytest.raises(ApplicationError, match="审核通过后"):
        services.panel_draw(actor=committee_user, plan=complete_plan)
    expert_account = Expert.objects.first().account
    with pytest.raises(PermissionDenied):
        services.panel_draw(actor=expert_account, plan=complete_plan)
    with pytest.raises(PermissionDenied):
        services.panel_draw(actor=world.officers["province"], plan=complete_plan)


def test_another_committee_cannot_draw_or_see_the_panel(
    approved_plan, committee_user, fill_pool, world, make_user
):
    fill_pool(14)
    services.panel_draw(actor=committee_user, plan=approved_plan)
    stranger = make_user(world.orgs["organizer_eng"], Role.COMMITTEE, username="t_stranger")
    with pytest.raises(ApplicationError, match="不存在"):
        services.panel_draw(actor=stranger, plan=approved_plan, reason="x")
    assert not selectors.panel_draws(user=stranger, plan=approved_plan).exists()


def test_a_requirement_of_a_broader_specialty_draws_its_narrower_experts(
    approved_plan, committee_user, fill_pool
):
    fill_pool(14)  # 080201 机械工程 …
    requirement = approved_plan.experts.get()
    requirement.specialty = specialty("0802")  # … meets a need of 0802
    requirement.save()
    assert len(services.panel_select(plan=approved_plan, seed=3)) == 14
