"""1.3 职称初定/认定受理机构管理: services and selectors."""

import pytest
from auditlog.models import LogEntry
from django.http import Http404

from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.errors import ApplicationError
from zhicheng.routing import selectors, services
from zhicheng.routing.models import AcceptanceOffice, NodeType, RecordStatus

DEPUTY = TitleLevel.SENIOR_DEPUTY
INITIAL = AcquisitionMethod.INITIAL


def create(actor, org, **overrides):
    fields = {
        "node_type": NodeType.CITY_HR,
        "level": DEPUTY,
        "acquisition_method": INITIAL,
        **overrides,
    }
    return services.acceptance_office_create(actor=actor, organization=org, **fields)


def test_an_officer_creates_an_office_in_their_subtree(orgs, hr_city):
    office = create(hr_city, orgs["county_jn"], node_type=NodeType.COUNTY_HR)
    assert office.is_active
    assert office.created_by == hr_city
    assert list(selectors.acceptance_office_list(user=hr_city)) == [office]


def test_one_active_office_per_organization_level_and_method(orgs, hr_province):
    create(hr_province, orgs["city_nj"])
    with pytest.raises(ApplicationError, match="已是副高级初定的受理机构"):
        create(hr_province, orgs["city_nj"])
    # Another level or method is a different office.
    create(hr_province, orgs["city_nj"], level=TitleLevel.SENIOR_FULL)
    create(hr_province, orgs["city_nj"], acquisition_method=AcquisitionMethod.RECOGNITION)
    assert AcceptanceOffice.objects.count() == 3


def test_a_deregistered_office_frees_its_place_and_keeps_its_history(orgs, hr_province):
    old = create(hr_province, orgs["city_nj"])
    services.acceptance_office_deregister(actor=hr_province, office=old, reason="机构调整")
    new = create(hr_province, orgs["city_nj"])
    old.refresh_from_db()
    assert old.status == RecordStatus.DEREGISTERED
    assert old.deregister_reason == "机构调整"
    assert old.deregistered_by == hr_province
    assert old.deregistered_at is not None
    assert new.is_active and new.pk != old.pk


def test_deregistering_is_written_to_the_operation_log(orgs, hr_province):
    office = create(hr_province, orgs["city_nj"])
    services.acceptance_office_deregister(actor=hr_province, office=office, reason="撤并")
    entry = LogEntry.objects.filter(additional_data__operation="deregister").get()
    assert entry.actor == hr_province
    assert "撤并" in entry.additional_data["summary"]


def test_deregistering_twice_is_refused(orgs, hr_province):
    office = create(hr_province, orgs["city_nj"])
    services.acceptance_office_deregister(actor=hr_province, office=office)
    with pytest.raises(ApplicationError, match="已注销"):
        services.acceptance_office_deregister(actor=hr_province, office=office)


def test_the_deregister_reason_is_optional_but_at_most_500_characters(orgs, hr_province):
    office = create(hr_province, orgs["city_nj"])
    with pytest.raises(ApplicationError, match="注销原因不能超过500字"):
        services.acceptance_office_deregister(actor=hr_province, office=office, reason="因" * 501)
    office.refresh_from_db()
    assert office.is_active
    services.acceptance_office_deregister(actor=hr_province, office=office, reason="因" * 500)
    office.refresh_from_db()
    assert office.deregister_reason == "因" * 500


@pytest.mark.parametrize("method", [AcquisitionMethod.EVALUATION, AcquisitionMethod.EXAM, "x"])
def test_only_initial_and_recognition_offices_exist(orgs, hr_province, method):
    with pytest.raises(ApplicationError, match="取得方式只能是初定或认定"):
        create(hr_province, orgs["city_nj"], acquisition_method=method)
    assert not AcceptanceOffice.objects.exists()


def test_an_unknown_level_is_refused(orgs, hr_province):
    with pytest.raises(ApplicationError, match="职称等级"):
        create(hr_province, orgs["city_nj"], level="doctor")


def test_the_node_type_must_fit_the_organization(orgs, hr_province):
    with pytest.raises(ApplicationError, match="不能作为“主管部门”节点"):
        create(hr_province, orgs["city_nj"], node_type=NodeType.COMPETENT_DEPT)
    office = create(hr_province, orgs["unit_k"], node_type=NodeType.OTHER)
    assert office.node_type == NodeType.OTHER


def test_a_deregistered_organization_cannot_become_an_office(orgs, hr_province):
    from zhicheng.orgs.services import organization_deregister

    organization_deregister(actor=hr_province, organization=orgs["unit_k"])
    orgs["unit_k"].refresh_from_db()
    with pytest.raises(ApplicationError, match="已注销"):
        create(hr_province, orgs["unit_k"], node_type=NodeType.EMPLOYER)


def test_a_city_officer_cannot_create_an_office_outside_the_subtree(orgs, hr_city):
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        create(hr_city, orgs["province"], node_type=NodeType.PROVINCE_HR)
    assert not AcceptanceOffice.objects.exists()


def test_a_city_officer_neither_sees_nor_changes_another_citys_office(orgs, hr_province, hr_city):
    suzhou = create(hr_province, orgs["city_sz"])
    assert not selectors.acceptance_office_list(user=hr_city).exists()
    with pytest.raises(Http404):
        selectors.acceptance_office_get(user=hr_city, pk=suzhou.pk)
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        services.acceptance_office_deregister(actor=hr_city, office=suzhou)
    suzhou.refresh_from_db()
    assert suzhou.is_active


def test_editing_checks_the_same_rules_and_ignores_the_row_itself(orgs, hr_province):
    office = create(hr_province, orgs["city_nj"])
    other = create(hr_province, orgs["city_sz"])
    same = services.acceptance_office_update(
        actor=hr_province, office=office, node_type=NodeType.CITY_HR, level=DEPUTY
    )
    assert same.pk == office.pk
    with pytest.raises(ApplicationError, match="已是副高级初定的受理机构"):
        services.acceptance_office_update(
            actor=hr_province, office=other, organization=orgs["city_nj"]
        )
    other.refresh_from_db()
    assert other.organization == orgs["city_sz"]
    moved = services.acceptance_office_update(
        actor=hr_province, office=other, level=TitleLevel.SENIOR_FULL
    )
    assert moved.level == TitleLevel.SENIOR_FULL


def test_a_deregistered_office_cannot_be_edited(orgs, hr_province):
    office = create(hr_province, orgs["city_nj"])
    services.acceptance_office_deregister(actor=hr_province, office=office)
    with pytest.raises(ApplicationError, match="已注销"):
        services.acceptance_office_update(actor=hr_province, office=office, level="senior_full")
    with pytest.raises(ApplicationError, match="已注销"):
        services.acceptance_office_notice_update(actor=hr_province, office=office, notice="x")


def test_the_notice_is_saved_as_text_and_limited_in_length(orgs, hr_province):
    office = create(hr_province, orgs["city_nj"])
    services.acceptance_office_notice_update(
        actor=hr_province, office=office, notice="  申报须知\r\n第二行  "
    )
    office.refresh_from_db()
    assert office.notice == "申报须知\n第二行"
    with pytest.raises(ApplicationError, match="申报须知最多"):
        services.acceptance_office_notice_update(
            actor=hr_province, office=office, notice="字" * 20_001
        )
    office.refresh_from_db()
    assert office.notice == "申报须知\n第二行"


def test_the_list_filters_by_organization_name_or_uscc_level_method_and_status(orgs, hr_province):
    nj = create(hr_province, orgs["city_nj"])
    sz = create(hr_province, orgs["city_sz"], acquisition_method=AcquisitionMethod.RECOGNITION)
    services.acceptance_office_deregister(actor=hr_province, office=sz)

    def ids(**filters):
        return {o.pk for o in selectors.acceptance_office_list(user=hr_province, **filters)}

    assert ids(organization="南京") == {nj.pk}
    assert ids(organization=orgs["city_sz"].uscc[:10]) == {sz.pk}
    assert ids(acquisition_method=INITIAL) == {nj.pk}
    assert ids(status=RecordStatus.DEREGISTERED) == {sz.pk}
    assert ids(level=TitleLevel.JUNIOR) == set()
