"""No 500 from a query string: nonsense sent to every list, export and other collection GET of
every resource on the API router (the filters each documents in the OpenAPI schema, plus the
usual filter names) is answered with data or a 4xx — on SQLite and on PostgreSQL.

The nonsense: letters where an id is expected, integers beyond the database's range, negative
ids, NUL characters (PostgreSQL cannot store or compare them) and very long strings.

The probes are in three files (``test_api_nonsense*.py``, two kinds of nonsense each): the
parallel test run distributes whole files, and as one file they were its last 7 minutes."""

from functools import lru_cache

import pytest
from django.contrib.auth.models import Group
from drf_spectacular.generators import SchemaGenerator

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.portal.api_urls import router

API = "/api/v1/"

NONSENSE = {
    "letters": "abc",
    "too-big": "99999999999999999999",
    "negative": "-1",
    "nul": "\x00",
    "nul-inside": "南京\x00x",
    "long": "长" * 5000,
}

# Filter names used somewhere in the project: sent to every endpoint, documented or not.
COMMON_FILTERS = (
    "search", "name", "code", "status", "organization", "parent", "series", "superior",
    "subordinate", "employer", "kind", "level", "acquisition_method", "node_type", "managed",
    "account", "approval_number", "validity", "uscc", "org_type", "region_code", "top",
    "include_deregistered", "id_number", "person", "title", "specialty", "committee", "year",
    "state", "view", "date_from", "date_to", "actor", "operation", "content_type", "ip",
    "object_repr", "scope", "page", "page_size", "number", "issuing_unit", "committee_name",
)  # fmt: skip


@lru_cache(maxsize=1)
def collection_endpoints() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """prefix → [(path, documented query parameters)] for every GET without a path parameter."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for prefix, _viewset, _basename in router.registry:
        base = f"{API}{prefix}/"
        for path, operations in schema["paths"].items():
            if not path.startswith(base) or "{" in path or "get" not in operations:
                continue
            names = tuple(
                p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"
            )
            found.setdefault(prefix, []).append((path, names))
    return found


@pytest.fixture
def officer(orgs, make_user):
    """A province officer holding every officer role: sees (almost) every resource.

    三员分立 keeps the services from giving one person two admin roles; this probe needs the
    endpoints of both, so the audit group is added to the row directly."""
    user = make_user(
        orgs["province"],
        Role.HR_OFFICER,
        Role.SYSTEM_ADMIN,
        Role.PLAN_REVIEWER,
        Role.PLAN_REVIEWER_SPECIAL,
        username="t_everything",
    )
    user.groups.add(Group.objects.get(name=Role.AUDIT_ADMIN.label))
    return User.objects.get(pk=user.pk)


def probe_cases(*labels: str) -> list:
    return [
        pytest.param(prefix, label, id=f"{prefix}-{label}")
        for prefix, _viewset, _basename in router.registry
        for label in labels
    ]


def probe(client, prefix: str, label: str) -> None:
    """Every collection GET of ``prefix`` with NONSENSE[label] in each documented filter one at
    a time, in the usual filter names it does not document all together (one at a time only
    when that is refused, so a 400 from one cannot hide a 500 from another), and in all of
    them at once: data or a 4xx with a JSON message, never a 5xx. (Most endpoints ignore most
    of the usual names; sending those singly was four fifths of these tests' minutes.)"""
    value = NONSENSE[label]
    problems = []

    def send(path: str, params: dict, shown: str) -> int:
        response = client.get(path, params)
        if response.status_code >= 500:
            problems.append(f"{path}?{shown}= → {response.status_code}")
        elif response.status_code == 400:
            assert response.json(), path  # a message, in JSON
        return response.status_code

    for path, documented in collection_endpoints().get(prefix, []):
        undocumented = [name for name in COMMON_FILTERS if name not in documented]
        for name in documented:
            send(path, {name: value}, name)
        if send(path, dict.fromkeys(undocumented, value), "(undocumented ones)") == 400:
            for name in undocumented:
                send(path, {name: value}, name)
        send(path, dict.fromkeys((*documented, *undocumented), value), "(all at once)")
    assert not problems, problems
