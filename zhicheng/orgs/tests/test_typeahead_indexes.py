"""The organization typeahead's search indexes (migration orgs 0002) and the query shape that
uses them: two-character terms, tree order, and on PostgreSQL the plans actually reaching the
trigram / bigram GIN indexes."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import CaptureQueriesContext

from zhicheng.orgs import selectors
from zhicheng.orgs.demo import demo_uscc
from zhicheng.orgs.models import Organization, OrgType, pinyin_initials

SEARCH_INDEXES = {
    "orgs_org_name_trgm",
    "orgs_org_initials_trgm",
    "orgs_org_name_bigram",
    "orgs_org_initials_bigram",
}
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the search indexes exist on PostgreSQL only"
)


def names(found) -> list[str]:
    return [org.name for org in found]


def search_indexes() -> set[str]:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'orgs_organization'")
        else:
            cur.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'orgs_organization'")
        return {row[0] for row in cur.fetchall()} & SEARCH_INDEXES


def test_two_character_names_and_initials_are_found(hr_city, orgs):
    assert "南京江宁软件技术有限公司" in names(
        selectors.organization_typeahead(user=hr_city, search="软件")
    )
    # 南京江宁软件技术有限公司 → njjnrjjsyxgs; "rj" = 软件.
    assert "南京江宁软件技术有限公司" in names(
        selectors.organization_typeahead(user=hr_city, search="rj")
    )
    assert selectors.organization_typeahead(user=hr_city, search="吴中") == []


def test_a_single_character_still_matches_a_substring(hr_city, orgs):
    assert "南京市江宁区东山中学" in names(
        selectors.organization_typeahead(user=hr_city, search="山")
    )


def test_results_come_in_tree_order(hr_city, orgs):
    found = selectors.organization_typeahead(user=hr_city, search="南京")
    assert len(found) > 3
    assert [org.path for org in found] == sorted(org.path for org in found)
    assert found[0] == orgs["city_nj"]


@pytest.mark.django_db
def test_the_index_migration_is_applied_on_this_database():
    """The test database was built by migrate: 0002 is recorded, and it created the search
    indexes on PostgreSQL and nothing on SQLite."""
    applied = MigrationRecorder(connection).applied_migrations()
    assert ("orgs", "0002_typeahead_search_indexes") in applied
    expected = SEARCH_INDEXES if connection.vendor == "postgresql" else set()
    assert search_indexes() == expected


@pytest.mark.django_db
def test_the_index_migration_reverses_and_reapplies():
    """Its two steps, run directly (reversing the whole migration would also unapply every app
    that depends on orgs). On PostgreSQL DDL is transactional: the test's rollback restores."""
    migration = import_module("zhicheng.orgs.migrations.0002_typeahead_search_indexes")
    # The persons' name indexes use the bigram function: they go first and come back last.
    persons = import_module("zhicheng.persons.migrations.0002_name_search_indexes")
    with connection.cursor() as cursor:
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        persons.drop_indexes(django_apps, editor)
        migration.drop_indexes(django_apps, editor)
        assert search_indexes() == set()
        migration.create_indexes(django_apps, editor)
        migration.create_indexes(django_apps, editor)  # idempotent
        persons.create_indexes(django_apps, editor)
    expected = SEARCH_INDEXES if connection.vendor == "postgresql" else set()
    assert search_indexes() == expected


@pytest.fixture
def many_employers(orgs):
    """3,000 more employers under one department, so that PostgreSQL's planner has a reason
    to prefer an index over reading the table."""
    parent = Organization.objects.get(pk=orgs["dept_jn_it"].pk)
    start = parent.numchild + 1
    rows = []
    for n in range(start, start + 3000):
        name = f"填充企业{n:04d}"
        rows.append(
            Organization(
                path=parent.path + Organization._int2str(n).rjust(Organization.steplen, "0"),
                depth=parent.depth + 1,
                name=name,
                name_initials=pinyin_initials(name),
                uscc=demo_uscc("91", "320115", f"MA1QB{n:04d}"),
                org_type=OrgType.EMPLOYER,
                region_code="320115",
            )
        )
    Organization.objects.bulk_create(rows)
    Organization.objects.filter(pk=parent.pk).update(numchild=start + 2999)
    with connection.cursor() as cur:
        cur.execute("ANALYZE orgs_organization")
        if connection.vendor == "postgresql":  # what autovacuum would do: merge GIN pending lists
            for index in SEARCH_INDEXES:
                cur.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])


@on_postgres
@pytest.mark.parametrize(
    ("term", "index"),
    [
        ("智能装备", "orgs_org_name_trgm"),
        ("软件", "orgs_org_name_bigram"),
        ("rjjs", "orgs_org_initials_trgm"),
        ("rj", "orgs_org_initials_bigram"),
    ],
)
def test_postgres_answers_each_term_shape_from_its_index(hr_province, many_employers, term, index):
    """Under the typeahead's own plan settings, the plan of its query uses the index meant for
    that term length — i.e. the SQL and the index expressions match."""
    assert selectors.organization_typeahead(user=hr_province, search=term)
    sql, params = (
        selectors.organization_typeahead_query(user=hr_province, search=term)
        .query.get_compiler(using="default")
        .as_sql()
    )
    with connection.cursor() as cur:
        for name, value in selectors.INDEX_SEARCH_SETTINGS.items():
            cur.execute(f"SET LOCAL {name} = {value}")
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cur.fetchall())
    assert index in plan, plan
    assert "Seq Scan" not in plan, plan


@on_postgres
def test_the_plan_settings_do_not_outlive_the_typeahead_query(hr_province, orgs):
    with connection.cursor() as cur:
        cur.execute("SHOW jit")
        jit_before = cur.fetchone()[0]
    with CaptureQueriesContext(connection) as captured:
        found = selectors.organization_typeahead(user=hr_province, search="江宁软件")
    assert names(found) == ["南京江宁软件技术有限公司"]
    assert len([q for q in captured.captured_queries if "LIKE" in q["sql"]]) == 1
    with connection.cursor() as cur:
        cur.execute("SHOW enable_seqscan")
        assert cur.fetchone()[0] == "on"
        cur.execute("SHOW enable_indexscan")
        assert cur.fetchone()[0] == "on"
        # Back to the session's own value (settings.py sends jit=off with every session).
        cur.execute("SHOW jit")
        assert cur.fetchone()[0] == jit_before


def test_the_typeahead_builds_whole_organizations(hr_city, orgs):
    (found,) = selectors.organization_typeahead(user=hr_city, search="江宁软件")
    assert found == orgs["unit_b"]
    assert (found.uscc, found.org_type, found.region_code, found.status, found.depth) == (
        orgs["unit_b"].uscc,
        "employer",
        "320115",
        "active",
        orgs["unit_b"].depth,
    )
    assert found.get_org_type_display() == "用人单位"
