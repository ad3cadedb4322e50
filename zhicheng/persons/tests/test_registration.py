import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from zhicheng.accounts.models import User
from zhicheng.common.errors import ApplicationError
from zhicheng.persons.models import Gender, Person
from zhicheng.persons.services import applicant_register
from zhicheng.persons.tests.factories import id_number, make_person, with_bad_check_char

pytestmark = pytest.mark.django_db

PASSWORD = "Shenbao@2026"
REFUSED = "该身份证号无法注册，请核对信息或联系经办机构"
API_URL = "/api/v1/auth/register/"


def register(number: str, name: str = "张伟", password: str = PASSWORD, mobile="13851000001"):
    return applicant_register(name=name, id_number=number, mobile=mobile, password=password)


def api_payload(number: str, **overrides) -> dict:
    return {
        "name": "张伟",
        "id_number": number,
        "mobile": "13851000001",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        **overrides,
    }


# --- the service ------------------------------------------------------------------------


def test_registration_creates_an_applicant_login_named_by_the_id_number_and_its_person():
    number = id_number(birth="19880512", seq="031")
    person = register(number)
    user = User.objects.get(username=number)
    assert person.user == user
    assert user.is_applicant and user.real_name == "张伟" and user.phone == "13851000001"
    assert not user.must_change_password
    assert user.check_password(PASSWORD)
    assert person.gender == Gender.MALE and str(person.birth_date) == "1988-05-12"


def test_registration_with_a_bad_id_number_says_why_and_creates_nothing():
    with pytest.raises(ApplicationError, match="身份证号校验位错误"):
        register(with_bad_check_char(id_number()))
    assert not User.objects.exists() and not Person.objects.exists()


def test_a_registered_id_number_cannot_register_again():
    number = id_number()
    register(number)
    with pytest.raises(ApplicationError, match=REFUSED):
        register(number, password="Another@2026")
    with pytest.raises(ApplicationError, match=REFUSED):
        register(number.lower() if number.endswith("X") else number)
    assert User.objects.count() == 1


@pytest.mark.parametrize("password", ["short1!", "abcdefgh", "12345678901", "password"])
def test_a_weak_password_is_refused_and_nothing_is_created(password):
    with pytest.raises(ApplicationError):
        register(id_number(), password=password)
    assert not User.objects.exists() and not Person.objects.exists()


def test_a_person_known_without_login_is_linked_when_the_name_matches(orgs):
    number = id_number()
    known = make_person("张伟", organization=orgs["unit_a"], number=number)
    person = register(number)
    assert person.pk == known.pk
    assert person.user.organization == orgs["unit_a"]


def test_a_known_person_with_another_name_cannot_be_taken_over():
    number = id_number()
    make_person("李娜", number=number)
    with pytest.raises(ApplicationError) as mismatch:
        register(number, name="张伟")
    assert mismatch.value.message == REFUSED
    assert not User.objects.exists()


def test_registered_and_name_mismatch_answer_alike_so_the_form_reveals_nothing():
    """Neither "someone registered this number" nor "HR has a person under it" can be learnt."""
    registered, on_file = id_number(), id_number()
    register(registered, name="王五")
    make_person("李娜", number=on_file)  # e.g. a person HR put on the blacklist
    messages = set()
    for number in (registered, on_file):
        with pytest.raises(ApplicationError) as refused:
            register(number, name="张伟")
        messages.add(refused.value.message)
    assert messages == {REFUSED}
    assert User.objects.count() == 1


def test_a_bad_mobile_is_refused():
    with pytest.raises(ApplicationError, match="手机号"):
        register(id_number(), mobile="12345")


# --- the API ----------------------------------------------------------------------------


def test_api_registration_then_token_login_with_the_id_number():
    number = id_number()
    client = APIClient()
    response = client.post(API_URL, api_payload(number), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["username"] == number
    token = client.post(
        "/api/v1/auth/token/", {"username": number, "password": PASSWORD}, format="json"
    )
    assert token.status_code == 200 and token.json()["token"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password_confirm": "Different@2026"}, "password_confirm", "两次输入的密码不一致"),
        ({"password": "abc", "password_confirm": "abc"}, "detail", "密码须至少包含"),
        ({"mobile": "10086"}, "detail", "手机号"),
        ({"name": "  "}, "name", ""),
    ],
)
def test_api_registration_bad_input_is_a_chinese_400(overrides, field, message):
    response = APIClient().post(API_URL, api_payload(id_number(), **overrides), format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body
    assert message in str(body[field])
    assert not User.objects.exists()


def test_api_registration_bad_id_number_and_duplicate():
    client = APIClient()
    bad = client.post(API_URL, api_payload(with_bad_check_char(id_number())), format="json")
    assert bad.status_code == 400 and bad.json()["detail"] == "身份证号校验位错误"
    number = id_number()
    assert client.post(API_URL, api_payload(number), format="json").status_code == 201
    again = client.post(API_URL, api_payload(number), format="json")
    assert again.status_code == 400
    assert again.json()["detail"] == REFUSED


@pytest.fixture
def three_an_hour(settings):
    settings.ZHICHENG_RATE_LIMITS = {"register": "3/hour"}


def test_api_registration_is_throttled_per_client_address(three_an_hour):
    client = APIClient()
    answers = [
        client.post(API_URL, api_payload(id_number()), format="json").status_code for _ in range(3)
    ]
    assert answers == [201, 201, 201]
    refused = client.post(API_URL, api_payload(id_number()), format="json")
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("请求过于频繁，请")
    # A made-up X-Forwarded-For is not another client (no trusted proxy is configured).
    forged = client.post(
        API_URL, api_payload(id_number()), format="json", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert forged.status_code == 429
    other = client.post(API_URL, api_payload(id_number()), format="json", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 201
    assert User.objects.count() == 4


def test_api_registration_from_a_browser_needs_the_csrf_token():
    client = APIClient(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "x" * 32
    response = client.post(API_URL, api_payload(id_number()), format="json")
    assert response.status_code == 403
    assert not User.objects.exists()
    # Without cookies (a plain API client) there is no session to forge: no token needed.
    plain = APIClient(enforce_csrf_checks=True)
    assert plain.post(API_URL, api_payload(id_number()), format="json").status_code == 201


# --- the page ---------------------------------------------------------------------------


def page_data(number: str, **overrides) -> dict:
    return {
        "name": "张伟",
        "id_number": number,
        "mobile": "13851000001",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def test_register_page_shows_every_field_as_required(client):
    html = client.get("/register/").content.decode()
    for label in ("真实姓名", "身份证号", "手机号", "密码", "确认密码"):
        assert f'<span class="required-mark">*</span>{label}' in html


def test_register_page_logs_the_applicant_in_and_lands_on_the_workspace(client):
    number = id_number()
    response = client.post("/register/", page_data(number), follow=True)
    assert response.redirect_chain[-1][0] == reverse("persons:workspace")
    html = response.content.decode()
    assert "注册成功" in html and "我的申报" in html and number in html


def test_register_page_shows_the_reason_next_to_the_field(client):
    response = client.post("/register/", page_data(with_bad_check_char(id_number())))
    assert response.status_code == 200
    assert "身份证号校验位错误" in response.content.decode()
    response = client.post("/register/", page_data(id_number(), password2="Other@2026x"))
    assert "两次输入的密码不一致" in response.content.decode()
    response = client.post("/register/", page_data(id_number(), password1="abc", password2="abc"))
    assert "密码须至少包含大写字母、小写字母、数字、符号中的三类" in response.content.decode()
    assert not User.objects.exists()


def test_register_page_refuses_a_registered_number_with_a_message(client):
    number = id_number()
    register(number)
    response = client.post("/register/", page_data(number))
    assert response.status_code == 200
    assert REFUSED in response.content.decode()


def test_register_page_is_throttled_per_client_address(client, three_an_hour):
    for _ in range(3):
        client.post("/register/", page_data(with_bad_check_char(id_number())))
    response = client.post("/register/", page_data(id_number()))
    assert response.status_code == 429
    assert "注册尝试过于频繁，请稍后再试" in response.content.decode()
    assert not User.objects.exists()


def test_register_page_is_csrf_protected():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/register/", page_data(id_number()))
    assert response.status_code == 403
    assert not User.objects.exists()


def test_the_applicant_logs_in_on_the_login_page_with_the_id_number(client):
    number = id_number()
    register(number)
    response = client.post(
        reverse("accounts:login"), {"username": number, "password": PASSWORD}, follow=True
    )
    assert response.context["user"].is_authenticated
    assert response.context["user"].username == number


def test_workspace_is_for_applicants(client, hr_city):
    client.force_login(hr_city)
    assert client.get(reverse("persons:workspace")).status_code == 302
    client.logout()
    assert reverse("accounts:login") in client.get(reverse("persons:workspace"))["Location"]
