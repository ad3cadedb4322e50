"""评后公示, 异议 and 1.15 备案 through the real services."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from zhicheng.accounts.roles import Role
from zhicheng.certificates import selectors as certificate_selectors
from zhicheng.common.errors import ApplicationError
from zhicheng.filings import selectors, services
from zhicheng.filings.models import FilingStatus, ObjectionStatus
from zhicheng.filings.tests.conftest import ORDINARY_MONDAY
from zhicheng.inbox.models import Message, MessageKind
from zhicheng.titles.models import TitleHolding

FILED_ON = dt.date(2026, 11, 16)
RESULT_TITLE = r"：评审(未)?通过$"


def ops(name):
    return LogEntry.objects.filter(additional_data__operation=name).count()


def test_publishing_computes_the_end_and_lists_who_passed(published, participants):
    assert published.ends_on == dt.date(2026, 11, 13)
    assert published.is_under_way
    passed = [r.participant_id for r in selectors.publicity_passed(plan=published.plan)]
    assert passed == [participants[0].pk, participants[1].pk]
    assert ops("publish") == 1


def test_the_public_list_shows_the_period_under_way_only(published, today):
    assert list(selectors.public_publicities()) == [published]
    today(dt.date(2026, 11, 14))
    assert not selectors.public_publicities().exists()


def test_no_publicity_before_the_meeting_closes(approved_plan, committee_user, today):
    with pytest.raises(ApplicationError, match="评审会议尚未结束"):
        services.publicity_publish(
            actor=committee_user, plan=approved_plan, starts_on=ORDINARY_MONDAY
        )


def test_publishing_twice_or_before_the_meeting_closed_is_refused(
    published, closed_plan, committee_user
):
    with pytest.raises(ApplicationError, match="已发布"):
        services.publicity_publish(
            actor=committee_user, plan=closed_plan, starts_on=ORDINARY_MONDAY
        )


def test_a_start_before_the_meeting_closed_is_refused(closed_plan, committee_user, today):
    with pytest.raises(ApplicationError, match="不能早于评审会议结束日期"):
        services.publicity_publish(
            actor=committee_user, plan=closed_plan, starts_on=dt.date(2026, 10, 30)
        )


def test_a_start_beyond_the_calendar_is_refused(closed_plan, committee_user, today):
    with pytest.raises(ApplicationError, match="节假日安排只登记到"):
        services.publicity_publish(
            actor=committee_user, plan=closed_plan, starts_on=dt.date(2027, 3, 1)
        )


def test_another_committee_cannot_publish(closed_plan, world, make_user, today):
    other = make_user(world.orgs["province"], Role.COMMITTEE, username="t_other_committee")
    with pytest.raises(ApplicationError):
        services.publicity_publish(actor=other, plan=closed_plan, starts_on=ORDINARY_MONDAY)


def test_an_upheld_objection_takes_the_participant_off_the_list(
    published, participants, committee_user
):
    objection = services.objection_record(
        actor=committee_user, participant=participants[1], content="论文抄袭", source="实名举报"
    )
    services.objection_resolve(
        actor=committee_user, objection=objection, upheld=True, resolution="经核查论文存在抄袭"
    )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD
    plan = published.plan
    assert [r.participant_id for r in selectors.publicity_passed(plan=plan)] == [participants[0].pk]
    (removed,) = selectors.publicity_removed(plan=plan)
    assert removed.resolution == "经核查论文存在抄袭"
    assert ops("objection") == 1 and ops("objection_resolve") == 1
    with pytest.raises(ApplicationError, match="已处理"):
        services.objection_resolve(
            actor=committee_user, objection=objection, upheld=False, resolution="再议"
        )


def test_a_dismissed_objection_leaves_the_list(published, participants, committee_user):
    objection = services.objection_record(
        actor=committee_user, participant=participants[0], content="资历不足", source="来信"
    )
    services.objection_resolve(
        actor=committee_user, objection=objection, upheld=False, resolution="资历符合条件"
    )
    assert selectors.publicity_passed(plan=published.plan).count() == 2


def test_objections_only_against_the_passed_list_and_need_content(
    published, participants, committee_user
):
    with pytest.raises(ApplicationError, match="不在公示的通过名单中"):
        services.objection_record(
            actor=committee_user, participant=participants[2], content="x", source="y"
        )
    with pytest.raises(ApplicationError, match="请填写异议内容"):
        services.objection_record(
            actor=committee_user, participant=participants[0], content=" ", source="y"
        )


def test_sending_waits_for_the_end_of_the_period(published, closed_plan, committee_user):
    with pytest.raises(ApplicationError, match="尚未结束"):
        services.filing_send(actor=committee_user, plan=closed_plan)


def test_sending_waits_for_every_objection(
    published, closed_plan, participants, committee_user, today
):
    services.objection_record(
        actor=committee_user, participant=participants[0], content="x", source="y"
    )
    today(dt.date(2026, 11, 16))
    with pytest.raises(ApplicationError, match="1 条异议未处理"):
        services.filing_send(actor=committee_user, plan=closed_plan)


def test_the_filing_goes_to_the_organization_that_approved_the_plan(sent, world, reviewer):
    assert sent.status == FilingStatus.PENDING
    assert sent.filing_organization_id == reviewer.organization_id == world.orgs["province"].pk
    assert ops("filing_send") == 1


def test_only_the_approving_level_sees_and_files(sent, world, hr_province):
    city = world.officers["city_nj"]
    assert selectors.filing_list(user=hr_province).get() == sent
    assert not selectors.filing_list(user=city).exists()
    with pytest.raises(ApplicationError, match="不存在或不在您的管辖范围内"):
        services.filing_review(
            actor=city, filing=sent, approved=True, filing_number="X", filed_on=FILED_ON
        )


def test_filing_approved_grants_the_titles_to_who_passed_publicity(
    sent, participants, hr_province, committee_user
):
    services.filing_review(
        actor=hr_province,
        filing=sent,
        approved=True,
        opinion="同意备案",
        filing_number="苏职备〔2026〕12号",
        filed_on=FILED_ON,
    )
    sent.refresh_from_db()
    assert sent.status == FilingStatus.APPROVED and sent.granted_count == 2
    holdings = TitleHolding.objects.order_by("application_id")
    assert [h.application_id for h in holdings] == [
        participants[0].application_id,
        participants[1].application_id,
    ]
    first = holdings[0]
    assert first.document_number == "苏职备〔2026〕12号"
    assert first.approved_on == FILED_ON
    assert first.acquisition_method == "evaluation"
    assert first.application.committee_id == sent.plan.committee_id  # the evaluator
    assert ops("filing") == 1
    # 1.17 证书发放: the titles appear 未发放 to the HR officers.
    issue = certificate_selectors.holding_issue_list(user=hr_province, issued="0")
    assert {h.pk for h in issue} >= {h.pk for h in holdings}


def test_filing_tells_each_participant_the_result_in_the_inbox(sent, participants, hr_province):
    services.filing_review(
        actor=hr_province,
        filing=sent,
        approved=True,
        filing_number="苏职备〔2026〕12号",
        filed_on=FILED_ON,
    )
    results = {
        m.link: m
        for m in Message.objects.filter(kind=MessageKind.RESULT, title__regex=RESULT_TITLE)
    }
    for participant, passed in zip(participants, (True, True, False), strict=True):
        app = participant.application
        message = results[reverse("applications:application-detail", args=[app.pk])]
        assert message.recipient_id == app.applicant_id
        assert message.title.endswith("评审通过" if passed else "评审未通过")
        assert ("苏职备〔2026〕12号" in message.body) is passed


def test_a_rejected_filing_tells_no_applicant(sent, hr_province):
    services.filing_review(actor=hr_province, filing=sent, approved=False, opinion="名单有误")
    assert not Message.objects.filter(title__regex=RESULT_TITLE).exists()


def test_filing_approved_needs_number_and_date(sent, hr_province):
    with pytest.raises(ApplicationError, match="请填写备案文号"):
        services.filing_review(actor=hr_province, filing=sent, approved=True, filed_on=FILED_ON)
    with pytest.raises(ApplicationError, match="请填写备案时间"):
        services.filing_review(actor=hr_province, filing=sent, approved=True, filing_number="A")


def test_filing_rejected_returns_to_the_committee_which_sends_again(
    sent, closed_plan, hr_province, committee_user
):
    with pytest.raises(ApplicationError, match="请填写审核意见"):
        services.filing_review(actor=hr_province, filing=sent, approved=False)
    services.filing_review(actor=hr_province, filing=sent, approved=False, opinion="名单有误")
    sent.refresh_from_db()
    assert sent.status == FilingStatus.REJECTED and sent.opinion == "名单有误"
    assert not TitleHolding.objects.exists()
    again = services.filing_send(actor=committee_user, plan=closed_plan)
    assert again.status == FilingStatus.PENDING and again.send_count == 2
    services.filing_review(
        actor=hr_province, filing=again, approved=True, filing_number="B", filed_on=FILED_ON
    )
    assert TitleHolding.objects.count() == 2
    with pytest.raises(ApplicationError, match="已处理"):
        services.filing_review(
            actor=hr_province, filing=again, approved=True, filing_number="B", filed_on=FILED_ON
        )


def test_the_applicant_sees_the_result_in_the_timeline(sent, participants, hr_province):
    services.filing_review(
        actor=hr_province, filing=sent, approved=True, filing_number="C", filed_on=FILED_ON
    )
    passed = participants[0].application
    failed = participants[2].application
    assert selectors.application_result(application=passed) == "评审通过"
    assert selectors.application_result(application=failed) == "评审未通过"
    labels = [e.label for e in selectors.application_filing_events(application=passed)]
    assert labels == ["评后公示", "评审通过"]
