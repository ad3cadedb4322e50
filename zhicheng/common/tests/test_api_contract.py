"""The OpenAPI schema tells the truth (issue 9, "the API contract"): the error answers of every
operation are documented, malformed pages and unknown enum values are refused with 400 and a
Chinese ``detail``, and the operations schemathesis found answering off their schema declare
what they really answer. ``make api-check`` holds the whole schema against the running API;
these pin each class of fix."""

from functools import lru_cache

import pytest
from drf_spectacular.generators import SchemaGenerator

API = "/api/v1/"


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@lru_cache(maxsize=1)
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def operation(path: str, method: str) -> dict:
    return schema()["paths"][f"{API}{path}"][method]


def resolve(node: dict) -> dict:
    while "$ref" in node:
        node = schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def response_schema(path: str, method: str, code: str = "200") -> dict:
    return resolve(
        operation(path, method)["responses"][code]["content"]["application/json"]["schema"]
    )


@pytest.fixture
def officer(hr_province, api_client):
    return api_client(hr_province)


# --- malformed pages -------------------------------------------------------------------------


# (not named "page": that is Playwright's fixture, which would make this a browser test)
@pytest.mark.parametrize(
    "page_number", ["null", "abc", "0", "-1", "1.5", "", "99999999999999999999"]
)
def test_a_malformed_page_is_400_in_chinese(officer, page_number):
    response = officer.get(f"{API}organizations/", {"page": page_number})
    assert response.status_code == 400
    assert has_chinese(response.json()["detail"])


def test_a_page_past_the_last_stays_404_and_page_one_is_fine(officer):
    assert officer.get(f"{API}organizations/", {"page": 1}).status_code == 200
    assert officer.get(f"{API}organizations/", {"page": 999}).status_code == 404


@pytest.mark.parametrize("size", ["abc", "0", "-5", "100000"])
def test_a_malformed_page_size_is_400(officer, size):
    response = officer.get(f"{API}titles/", {"page_size": size})
    assert response.status_code == 400
    assert has_chinese(response.json()["detail"])


def test_the_page_parameter_documents_its_bounds():
    page = next(p for p in operation("organizations/", "get")["parameters"] if p["name"] == "page")
    assert page["schema"]["minimum"] == 1
    assert page["schema"]["maximum"] >= 10**6


# --- unknown enum values ---------------------------------------------------------------------


@pytest.mark.parametrize("param", ["status", "level", "node_type", "acquisition_method"])
def test_an_unknown_enum_value_in_a_filter_is_400_in_chinese(officer, param):
    response = officer.get(f"{API}acceptance-offices/", {param: "AAA"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert has_chinese(detail) and param in detail and "AAA" in detail


def test_a_known_enum_value_or_an_empty_one_still_filters(officer):
    assert officer.get(f"{API}acceptance-offices/", {"status": "active"}).status_code == 200
    assert officer.get(f"{API}acceptance-offices/", {"status": ""}).status_code == 200


# --- every operation documents its error answers ---------------------------------------------


def test_every_operation_documents_its_error_answers():
    missing = []
    for path, operations in schema()["paths"].items():
        for method, op in operations.items():
            codes = set(op["responses"])
            # token and registration, public 证书核验, the 单位注册 page's 主管单位 search: no login
            public = path.startswith(f"{API}auth/") or path in (
                f"{API}certificate-verification/",
                f"{API}units/competent/",
            )
            needed = {"403"} | (set() if public else {"401", "404"})
            if method in ("post", "put", "patch"):
                needed.add("400")
            if not needed <= codes:
                missing.append(f"{method.upper()} {path}: {sorted(needed - codes)}")
    assert not missing, missing


def test_error_answers_are_a_chinese_detail_object():
    body = response_schema("organizations/{id}/", "get", "404")
    assert body["properties"]["detail"]["type"] == "string"
    assert body["required"] == ["detail"]


# --- operation by operation ------------------------------------------------------------------


def test_deregistered_by_is_nullable_where_it_is_answered():
    for component in ("AcceptanceOffice", "RouteEdge", "Committee"):
        field = schema()["components"]["schemas"][component]["properties"]["deregistered_by"]
        assert field.get("nullable") is True, component


def test_lists_answered_whole_are_declared_as_such():
    attachments = response_schema("applications/{id}/attachments/", "get")
    assert attachments["type"] == "array"
    assert "parameters" not in operation("applications/{id}/attachments/", "get") or not [
        p
        for p in operation("applications/{id}/attachments/", "get")["parameters"]
        if p["name"] == "page"
    ]
    assert "201" in operation("applications/{id}/attachments/", "post")["responses"]
    timeline = response_schema("applications/{id}/timeline/", "get")
    assert set(timeline["properties"]) == {"where", "records"}
    for sub in ("specialties", "organizers", "fees"):
        body = response_schema(f"committees/{{id}}/{sub}/", "get")
        assert set(body["properties"]) == {"results"}, sub
        assert "201" in operation(f"committees/{{id}}/{sub}/", "post")["responses"], sub


def test_action_answers_have_their_own_schemas():
    files = response_schema("committees/initial-passwords/", "get")
    assert set(files["properties"]) == {"results"}
    reset = response_schema("committees/{id}/reset-password/", "post")
    assert set(reset["properties"]) == {"account", "initial_password", "initial_password_note"}
    batch = response_schema("applications/batch-approve/", "post")
    assert set(batch["properties"]) == {"approved", "refused", "message"}
    issue = response_schema("certificates/issue/", "post")
    assert set(issue["properties"]) == {"issued", "refused", "message"}
    created = response_schema("committees/", "post", "201")
    assert "initial_password" in created["properties"]


def test_organization_deregister_takes_no_body():
    assert "requestBody" not in operation("organizations/{id}/deregister/", "post")


def test_exports_document_the_xlsx_content_type():
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    exports = [
        (path, ops["get"])
        for path, ops in schema()["paths"].items()
        if path.endswith("/export/") and "get" in ops
    ]
    assert exports
    for path, op in exports:
        assert xlsx in op["responses"]["200"]["content"], path


def test_required_text_in_a_request_is_not_blank():
    body = schema()["components"]["schemas"]["OrganizationRequest"]
    assert body["properties"]["uscc"]["minLength"] == 1
    assert body["properties"]["parent"]["type"] == "integer"


# --- OPTIONS on a view without a serializer --------------------------------------------------


def test_options_on_an_action_without_a_serializer_is_not_a_500(officer):
    response = officer.options(f"{API}imports/1/commit/")
    assert response.status_code == 200
    assert "POST" in response["Allow"]


def test_a_number_beyond_the_database_range_is_400_not_500():
    from django.db import DataError

    from zhicheng.common.api import exception_handler

    for exc in (OverflowError("Python int too large"), DataError("integer out of range")):
        response = exception_handler(exc, {})
        assert response.status_code == 400
        assert has_chinese(response.data["detail"])


@pytest.mark.parametrize(
    ("path", "params"),
    [("applications/", {"status": "AAA"}), ("applications/", {"year": "abc"})],
)
def test_a_bad_value_in_a_serializer_read_query_is_one_chinese_detail(officer, path, params):
    response = officer.get(f"{API}{path}", params)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert has_chinese(detail) and next(iter(params)) in detail
