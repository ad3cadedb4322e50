"""The database itself keeps user names unique regardless of case (logins ignore case), for
the moment two requests pass the service's check together."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhicheng.accounts import services
from zhicheng.accounts.models import User
from zhicheng.common.errors import ApplicationError


def test_the_database_refuses_a_user_name_differing_only_in_case(db):
    User.objects.create(username="11010519491231002X")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="11010519491231002x")
    assert User.objects.count() == 1


def test_validation_says_so_in_chinese(db):
    User.objects.create(username="Hr_City")
    with pytest.raises(ValidationError, match="用户名已被使用（不区分大小写）"):
        User(username="hr_city", password="x").full_clean()


def test_the_service_answers_first_with_its_own_message(db):
    services.user_create(username="hr_city", organization=None, roles=[], password="Test@2026pw")
    with pytest.raises(ApplicationError, match="用户名“HR_CITY”已被使用"):
        services.user_create(username="HR_CITY", organization=None, roles=[])
