"""Rules the database keeps too (for two requests at once): one 正常 committee per name, one
缴费标准 per (缴费项目, 说明) of a committee. The services answer first with their messages."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhicheng.committees import services
from zhicheng.committees.models import Committee, FeeItem, FeeStandard
from zhicheng.common.errors import ApplicationError


def _copy(committee: Committee, **changes) -> Committee:
    fields = {
        f.attname: getattr(committee, f.attname)
        for f in Committee._meta.concrete_fields
        if not f.primary_key
    }
    return Committee(**{**fields, **changes})


def test_two_active_committees_cannot_share_a_name(hr_province, province_committee):
    twin = _copy(province_committee, account_id=province_committee.account_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    with pytest.raises(ValidationError, match="已存在同名的正常状态评委会"):
        twin.validate_constraints()


def test_a_deregistered_committees_name_may_be_used_again(
    hr_province, province_committee, make_committee
):
    services.committee_deregister(actor=hr_province, committee=province_committee, reason="撤并")
    again = make_committee(hr_province, name=province_committee.name, account_username="pwh_new")
    assert again.name == province_committee.name
    assert Committee.objects.filter(name=province_committee.name).count() == 2


def test_the_service_refuses_a_duplicate_name_first(
    hr_province, province_committee, make_committee
):
    with pytest.raises(ApplicationError, match="已存在名称为“省工程高评会”的正常状态评委会"):
        make_committee(hr_province, name="省工程高评会", account_username="pwh_other")


def test_a_fee_item_and_note_appear_once_per_committee(hr_province, province_committee):
    services.fee_standard_create(
        actor=hr_province, committee=province_committee, item=FeeItem.REVIEW, amount="300"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeStandard.objects.create(committee=province_committee, item=FeeItem.REVIEW, amount=1)
    with pytest.raises(ApplicationError, match="已存在，请修改原有记录"):
        services.fee_standard_create(
            actor=hr_province, committee=province_committee, item=FeeItem.REVIEW, amount="200"
        )
    services.fee_standard_create(
        actor=hr_province,
        committee=province_committee,
        item=FeeItem.REVIEW,
        amount="200",
        note="复审",
    )
    assert province_committee.fees.count() == 2
