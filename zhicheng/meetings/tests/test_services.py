"""The meeting's rules, table-driven where they are a table: quorum, the pass fraction, the
pass-rate cap's cut, 回避, secrecy and the refusals after closing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from zhicheng.committees.services import committee_update
from zhicheng.common.errors import ApplicationError
from zhicheng.experts import services as expert_services
from zhicheng.meetings import selectors, services
from zhicheng.meetings.models import MeetingStatus, PassRateCap, Vote, VoteChoice

pytestmark = pytest.mark.django_db

AGREE, DISAGREE, ABSTAIN = VoteChoice.AGREE, VoteChoice.DISAGREE, VoteChoice.ABSTAIN


def vote_all(w, participant, choices):
    for expert, choice in zip(w.members, choices, strict=False):
        services.vote_cast(actor=expert.account, participant=participant, choice=choice)


def score(w, expert, participant, first, second):
    services.score_record(
        actor=expert.account,
        participant=participant,
        scores={w.items[0].pk: first, w.items[1].pk: second},
    )


def test_open_needs_a_drawn_panel_and_moves_pending_to_open(meeting_world, committee_user):
    w = meeting_world(1, open=False)
    meeting = services.meeting_open(actor=committee_user, plan=w.plan)
    assert meeting.status == MeetingStatus.OPEN
    with pytest.raises(ApplicationError, match="进行中，不能开始"):
        services.meeting_open(actor=committee_user, plan=w.plan)


def test_only_the_committee_runs_the_meeting(meeting_world, world):
    w = meeting_world(1, open=False)
    with pytest.raises(PermissionDenied):
        services.meeting_open(actor=world.officers["province"], plan=w.plan)
    with pytest.raises(PermissionDenied):
        services.meeting_open(actor=w.members[0].account, plan=w.plan)


@pytest.mark.parametrize(
    ("present", "fraction", "closes"),
    [
        (3, (2, 3), True),
        (2, (2, 3), True),  # 2 ≥ ⌈3 × 2/3⌉ = 2
        (1, (2, 3), False),
        (2, (3, 3), False),
        (1, (1, 3), True),
    ],
)
def test_quorum(meeting_world, committee_user, world, present, fraction, closes):
    committee_update(
        actor=world.officers["province"], committee=world.committee,
        quorum_numerator=fraction[0], quorum_denominator=fraction[1],
    )  # fmt: skip
    w = meeting_world(1, seated=False)
    services.attendance_record(
        actor=committee_user, plan=w.plan, present=[e.pk for e in w.members[:present]]
    )
    if closes:
        services.meeting_close(actor=committee_user, plan=w.plan)
    else:
        with pytest.raises(ApplicationError, match="不足法定人数.*还差"):
            services.meeting_close(actor=committee_user, plan=w.plan)


def test_alternates_step_in_for_absent_members_in_draw_order(meeting_world, committee_user):
    w = meeting_world(1, seated=False)
    present = [w.members[0], w.alternates[1], w.alternates[2]]
    services.attendance_record(actor=committee_user, plan=w.plan, present=[e.pk for e in present])
    rows = {a.expert_id: a for a in selectors.attendance_list(meeting=w.plan.meeting)}
    assert rows[w.members[0].pk].seated
    assert not rows[w.members[1].pk].present
    assert rows[w.alternates[1].pk].stands_in_for_id == w.members[1].pk
    assert rows[w.alternates[2].pk].stands_in_for_id == w.members[2].pk
    assert not rows[w.alternates[0].pk].seated


@pytest.mark.parametrize(
    ("choices", "fraction", "passed"),
    [
        ((AGREE, AGREE, AGREE), (2, 3), True),
        ((AGREE, AGREE, DISAGREE), (2, 3), True),
        ((AGREE, AGREE, ABSTAIN), (2, 3), True),
        ((AGREE, DISAGREE, ABSTAIN), (2, 3), False),
        ((AGREE, AGREE), (2, 3), True),  # one seated expert did not vote: 2 of 3
        ((AGREE,), (2, 3), False),
        ((AGREE, AGREE, DISAGREE), (3, 3), False),
        ((AGREE, DISAGREE, DISAGREE), (1, 3), True),
    ],
)
def test_pass_fraction(meeting_world, committee_user, world, choices, fraction, passed):
    committee_update(
        actor=world.officers["province"], committee=world.committee,
        pass_numerator=fraction[0], pass_denominator=fraction[1],
    )  # fmt: skip
    PassRateCap.objects.create(
        year=2026, level="senior_deputy", max_percent=100, updated_by=committee_user
    )
    w = meeting_world(1)
    vote_all(w, w.participants[0], choices)
    [result] = services.meeting_close(actor=committee_user, plan=w.plan)
    assert result.passed is passed
    assert (result.agree, result.present) == (choices.count(AGREE), 3)


def test_the_cap_cuts_by_score_rank_and_says_why(meeting_world, committee_user):
    """5 副高级 participants, all with enough 同意: the default cap 55 % lets 2 pass (⌊2.75⌋),
    the two best scores; the other three are cut with the reason."""
    w = meeting_world(5)
    for index, participant in enumerate(w.participants):
        vote_all(w, participant, (AGREE, AGREE, AGREE))
        for expert in w.members:
            score(w, expert, participant, 50 - index, 30)
    check = selectors.close_check(w.plan.meeting)
    assert [(c.level, c.limit, c.passing, c.cut) for c in check.caps] == [
        ("senior_deputy", 2, 5, 3)
    ]
    results = {
        r.participant_id: r for r in services.meeting_close(actor=committee_user, plan=w.plan)
    }
    first, second, *rest = w.participants
    assert results[first.pk].passed and results[first.pk].rank == 1
    assert results[first.pk].score == Decimal("80.00")
    assert results[second.pk].passed
    for participant in rest:
        result = results[participant.pk]
        assert not result.passed
        assert (
            "通过率上限 55%" in result.cut_reason and "参评 5 人最多通过 2 人" in result.cut_reason
        )
    assert [r.participant_id for r in selectors.passed_results(w.plan)] == [first.pk, second.pk]


def test_a_configured_cap_replaces_the_default(meeting_world, committee_user, world):
    services.pass_rate_cap_set(
        actor=world.officers["province"], year=2026, level="senior_deputy", max_percent=20
    )
    w = meeting_world(5)
    for participant in w.participants:
        vote_all(w, participant, (AGREE, AGREE, AGREE))
    results = services.meeting_close(actor=committee_user, plan=w.plan)
    assert sum(r.passed for r in results) == 1


def test_passes_beyond_the_declared_posts_are_flagged(meeting_world, committee_user, world):
    from zhicheng.quotas.models import QuotaDeclaration

    QuotaDeclaration.objects.create(
        organization=world.orgs["unit_a"], year=2026, senior_approved=10, senior_filled=9,
        senior_requested=1, contact_name="王", contact_phone="1", declared_by=committee_user,
    )  # fmt: skip
    services.pass_rate_cap_set(
        actor=world.officers["province"], year=2026, level="senior_deputy", max_percent=100
    )
    w = meeting_world(2)
    for participant in w.participants:
        vote_all(w, participant, (AGREE, AGREE, AGREE))
    [flag] = selectors.close_check(w.plan.meeting).quota_flags
    assert (flag.declared, flag.passing) == (1, 2)


@pytest.mark.parametrize("case", ["not_on_panel", "absent", "alternate_not_seated", "recused",
                                  "not_open", "closed"])  # fmt: skip
def test_vote_refusals(meeting_world, committee_user, world, fill_pool, case):
    w = meeting_world(1, open=case != "not_open")
    participant = w.participants[0]
    expert = w.members[0]
    expected = {
        "not_on_panel": "不在该方案的评审专家组中",
        "absent": "未登记为到会",
        "alternate_not_seated": "未登记为到会",
        "recused": "同一工作单位，应当回避",
        "not_open": "尚未开始",
        "closed": "已结束",
    }[case]
    if case == "not_on_panel":
        expert = fill_pool(1, employer="unit_b")[0]
    elif case == "absent":
        services.attendance_record(
            actor=committee_user, plan=w.plan, present=[e.pk for e in w.members[1:]]
        )
    elif case == "alternate_not_seated":
        expert = w.alternates[0]
    elif case == "recused":
        expert_services.expert_update(
            actor=world.officers["province"], expert=expert, employer=world.orgs["unit_a"]
        )
    elif case == "closed":
        services.meeting_close(actor=committee_user, plan=w.plan)
    with pytest.raises(ApplicationError, match=expected):
        services.vote_cast(actor=expert.account, participant=participant, choice=AGREE)
    with pytest.raises(ApplicationError, match=expected):
        score(w, expert, participant, 10, 10)


def test_a_vote_cast_again_replaces_the_first(meeting_world):
    w = meeting_world(1)
    expert, participant = w.members[0], w.participants[0]
    services.vote_cast(actor=expert.account, participant=participant, choice=AGREE)
    services.vote_cast(actor=expert.account, participant=participant, choice=DISAGREE)
    assert Vote.objects.get(expert=expert, participant=participant).choice == DISAGREE


@pytest.mark.parametrize(("value", "ok"), [(0, True), (60, True), ("59.5", True), (61, False),
                                           (-1, False), ("abc", False)])  # fmt: skip
def test_scores_stay_within_the_items_maximum(meeting_world, value, ok):
    w = meeting_world(1)
    call = lambda: score(w, w.members[0], w.participants[0], value, 40)  # noqa: E731
    if ok:
        call()
    else:
        with pytest.raises(ApplicationError, match="业绩成果"):
            call()


def test_votes_are_secret_until_closing_and_logged_without_their_content(
    meeting_world, committee_user
):
    from auditlog.models import LogEntry

    w = meeting_world(1)
    a, b = w.members[0], w.members[1]
    services.vote_cast(actor=a.account, participant=w.participants[0], choice=DISAGREE)
    services.vote_cast(actor=b.account, participant=w.participants[0], choice=AGREE)
    assert selectors.expert_votes(expert=a, plan=w.plan) == {w.participants[0].pk: DISAGREE}
    assert selectors.meeting_results(meeting=w.plan.meeting).count() == 0
    check = selectors.close_check(w.plan.meeting)
    assert check.votes_cast == 2 and not hasattr(check, "rows")
    entries = LogEntry.objects.filter(additional_data__operation="vote")
    assert entries.count() == 2
    for entry in entries:
        text = str(entry.additional_data) + str(entry.changes)
        assert "不同意" not in text and "同意" not in text.replace("表决", "")
    services.meeting_close(actor=committee_user, plan=w.plan)
    [result] = selectors.meeting_results(meeting=selectors.plan_meeting(w.plan))
    assert (result.agree, result.disagree) == (1, 1)


def test_an_expert_sees_only_plans_they_are_on(meeting_world, fill_pool):
    w = meeting_world(1)
    outsider = fill_pool(1)[0]
    assert list(selectors.expert_plans(user=w.members[0].account)) == [w.plan]
    assert list(selectors.expert_plans(user=w.alternates[0].account)) == [w.plan]
    assert not selectors.expert_plans(user=outsider.account).exists()


def test_the_committee_fractions_are_validated(world):
    with pytest.raises(ApplicationError):
        committee_update(
            actor=world.officers["province"], committee=world.committee,
            pass_numerator=4, pass_denominator=3,
        )  # fmt: skip
