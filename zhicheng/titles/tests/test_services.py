"""取得职称 written through ``titles.services``: granted by the top's approval of 初定/认定 (one
per application, never twice), revoked with a reason, each in the operation log."""

import pytest
from auditlog.models import LogEntry

from zhicheng.accounts.roles import Role
from zhicheng.applications import services as application_services
from zhicheng.common.errors import ApplicationError
from zhicheng.titles import services
from zhicheng.titles.models import TitleHolding
from zhicheng.titles.services import TitleGrant


def _operations(holding: TitleHolding, operation: str):
    return LogEntry.objects.filter(
        object_pk=str(holding.pk), additional_data__operation=operation
    ).order_by("pk")


def _grant_of(holding: TitleHolding, **changes) -> TitleGrant:
    fields = {
        "person_id": holding.person_id,
        "title_id": holding.title_id,
        "level": holding.level,
        "acquisition_method": holding.acquisition_method,
        "approved_on": holding.approved_on,
        "approving_organization_id": holding.approving_organization_id,
        "specialty_id": holding.specialty_id,
        "application_id": holding.application_id,
    }
    return TitleGrant(**{**fields, **changes})


def test_the_top_approval_grants_the_title_through_the_service(world, approved):
    app = approved()
    holding = TitleHolding.objects.get(application=app)
    assert holding.person_id == app.person_id
    assert holding.title_id == app.title_id
    assert holding.level == app.level
    assert holding.acquisition_method == "initial"
    assert holding.approved_on == world.today
    assert holding.approving_organization == world.orgs["city_nj"]
    assert not holding.is_revoked
    (entry,) = _operations(holding, "grant")
    assert entry.actor == world.officers["city_nj"]
    assert entry.additional_data["label"] == "取得职称"
    assert entry.additional_data["summary"] == f"取得职称：{holding}"


def test_a_grant_records_the_document_number_and_no_application(world, approved):
    source = TitleHolding.objects.get(application=approved())
    holding = services.title_holding_grant(
        actor=world.officers["province"],
        grant=_grant_of(source, application_id=None, document_number="苏人社备〔2026〕9号"),
    )
    assert holding.pk != source.pk
    assert holding.application is None
    assert holding.document_number == "苏人社备〔2026〕9号"
    assert _operations(holding, "grant").count() == 1


def test_an_application_grants_its_title_once(world, approved):
    holding = TitleHolding.objects.get(application=approved())
    with pytest.raises(ApplicationError, match="已取得职称"):
        services.title_holding_grant(actor=world.officers["city_nj"], grant=_grant_of(holding))
    with pytest.raises(ApplicationError, match="已取得职称"):
        services.title_holdings_grant(actor=world.officers["city_nj"], grants=[_grant_of(holding)])
    assert TitleHolding.objects.count() == 1


def test_a_replayed_approval_returns_the_holding_it_granted(world, submitted, climb):
    app = climb(submitted("initial"), "unit_a", "dept_jn_it", "county_jn")
    officer = world.officers["city_nj"]
    first = application_services.application_approve(
        actor=officer, application=app.pk, expected_version=app.version
    )
    again = application_services.application_approve(
        actor=officer, application=app.pk, expected_version=app.version
    )
    assert first.holding is not None
    assert again.holding == first.holding
    assert TitleHolding.objects.count() == 1
    assert _operations(first.holding, "grant").count() == 1


def test_a_batch_grant_is_all_or_nothing_with_one_log_entry(world, approved, make_applicant):
    holding = TitleHolding.objects.get(application=approved())
    other = make_applicant("李娜")
    grants = [
        _grant_of(holding, application_id=None, person_id=other.pk),
        _grant_of(holding, application_id=None, document_number="文号2"),
    ]
    made = services.title_holdings_grant(actor=world.officers["city_nj"], grants=grants)
    assert [h.pk for h in made] == sorted(h.pk for h in made)
    assert TitleHolding.objects.count() == 3
    entries = LogEntry.objects.filter(additional_data__operation="grant").order_by("pk")
    assert entries.count() == 2  # the approval's, and this batch's
    assert entries.last().additional_data["summary"] == (
        f"批量取得职称 2 条（记录编号 {made[0].pk}、{made[1].pk}）"
    )
    duplicate = [_grant_of(holding, application_id=None), _grant_of(holding)]
    with pytest.raises(ApplicationError, match="已取得职称"):
        services.title_holdings_grant(actor=world.officers["city_nj"], grants=duplicate)
    assert TitleHolding.objects.count() == 3
    assert services.title_holdings_grant(actor=None, grants=[]) == []


def test_the_batch_approval_grants_through_the_service(world, submitted, climb):
    app = climb(submitted("initial"), "unit_a", "dept_jn_it", "county_jn")
    outcome = application_services.application_batch_approve(
        actor=world.officers["city_nj"], items=[(app.pk, app.version)]
    )
    assert outcome.approved == [app]
    holding = TitleHolding.objects.get(application=app)
    assert outcome.approved[0].title_holding == holding
    (entry,) = _operations(holding, "grant")
    assert entry.additional_data["summary"] == f"批量取得职称 1 条（记录编号 {holding.pk}）"


def test_revoking_keeps_the_row_with_who_when_and_why(world, approved, revoker):
    holding = TitleHolding.objects.get(application=approved())
    revoked = services.title_holding_revoke(actor=revoker, holding=holding.pk, reason=" 材料造假 ")
    holding.refresh_from_db()
    assert holding.is_revoked and revoked.pk == holding.pk
    assert holding.revoked_by == revoker
    assert holding.revoke_reason == "材料造假"
    (entry,) = _operations(holding, "revoke")
    assert entry.additional_data["summary"] == f"撤销取得职称：{holding}：材料造假"
    with pytest.raises(ApplicationError, match="已撤销"):
        services.title_holding_revoke(actor=revoker, holding=holding, reason="再次")


@pytest.mark.parametrize(
    ("reason", "message"), [("", "请填写撤销原因"), ("长" * 201, "不能超过 200 字")]
)
def test_revoking_needs_a_reason(world, approved, revoker, reason, message):
    holding = TitleHolding.objects.get(application=approved())
    with pytest.raises(ApplicationError, match=message):
        services.title_holding_revoke(actor=revoker, holding=holding, reason=reason)
    holding.refresh_from_db()
    assert not holding.is_revoked


def test_revoking_needs_the_permission_and_the_scope(world, approved, make_user, orgs):
    from django.contrib.auth.models import Permission

    holding = TitleHolding.objects.get(application=approved())
    # Without the permission (HR officers hold it since fraud revocation: an employer has not).
    with pytest.raises(ApplicationError):
        services.title_holding_revoke(actor=world.officers["unit_a"], holding=holding, reason="x")
    suzhou = make_user(orgs["city_sz"], Role.HR_OFFICER)
    suzhou.user_permissions.add(Permission.objects.get(codename="revoke_titleholding"))
    suzhou = type(suzhou).objects.get(pk=suzhou.pk)
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        services.title_holding_revoke(actor=suzhou, holding=holding, reason="x")
    holding.refresh_from_db()
    assert not holding.is_revoked
