"""A province's six years of 职称申报 for the PostgreSQL benchmarks: organizations (the same
tree as the typeahead benchmark), persons with valid 身份证号 and their applicant logins, and
1,000,000 applications in every state with their stored routes, scope nodes (the route and its ancestors) and 提交 records —
written with COPY (the raw way in), so that the set-up takes minutes, not hours.

Routes follow the organization tree: employer → competent department → county bureau → city
bureau → province (评审, five levels; the committee acts after the province), 认定 ends at the
city bureau and 初定 at the county bureau. Statuses: about 3 % drafts, 12 % under review at a
random level (a tenth of them returned from above), 3 % returned to the applicant, 77 %
approved, 5 % withdrawn. Besides, two pools wait at two city bureaus for the approval
benchmarks (their size is counted in the 1,000,000).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field

from zhicheng.common.validators import id_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国文红玉梅斌宇浩鹏辉晨雪琳欣怡子轩俊杰思远博文佳琪梓涵雨桐志强海燕春梅晓东立新永刚德明"
SCHOOLS = ["南京大学", "东南大学", "苏州大学", "江南大学", "河海大学", "南京理工大学", "扬州大学"]
MAJORS = ["土木工程", "计算机科学与技术", "机械工程", "临床医学", "会计学", "电气工程", "化学工程"]
EDUCATIONS = ["secondary_vocational", "junior_college", "bachelor", "bachelor", "master", "doctor"]
YEARS = range(2021, 2027)

# Rows per COPY call: bounded memory whatever the total.
CHUNK = 50_000


@dataclass
class Pool:
    """Applications generated to wait at one organization (the approval benchmarks)."""

    organization_id: int
    size: int
    ids: list[int] = field(default_factory=list)


@dataclass
class Dataset:
    applications: int = 0
    persons: int = 0
    route_nodes: int = 0
    review_records: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    pools: dict[str, Pool] = field(default_factory=dict)


def person_rows(count: int, rng: random.Random, region_codes: list[str]):
    """(id_number, name, birth_date, gender) with valid, unique 身份证号."""
    for n in range(count):
        # (region, birth date, order code) is a function of n, one-to-one: unique numbers.
        region = region_codes[n % len(region_codes)]
        k = n // len(region_codes)
        order = k % 1000
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=(k // 1000 + 13 * order) % 12775)
        first17 = f"{region}{birth:%Y%m%d}{order:03d}"
        id_number = first17 + id_check_char(first17)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        yield id_number, name, birth, "male" if order % 2 else "female"


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> int:
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _set_sequence(cursor, table: str) -> None:
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
    )


def insert_persons(count: int, *, seed: int = 11) -> tuple[int, int]:
    """``count`` persons, each with an applicant login (user name = 身份证号). Returns the
    first person id and the first user id (both consecutive)."""
    from django.contrib.auth.models import Group
    from django.db import connection

    from zhicheng.accounts.roles import Role

    rng = random.Random(seed)
    regions = [f"32{c:02d}{d:02d}" for c in range(1, 14) for d in range(1, 10)]
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own cursor: COPY
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM accounts_user")
        first_user = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM persons_person")
        first_person = cursor.fetchone()[0] + 1
        people = list(person_rows(count, rng, regions))
        _copy(
            cursor,
            "accounts_user",
            USER_COLUMNS,
            (
                (first_user + i, "!", False, p[0], "", "", "", False, True, now, p[1], "", False)
                for i, p in enumerate(people)
            ),
        )
        applicants = Group.objects.get(name=Role.APPLICANT.label)
        _copy(
            cursor,
            "accounts_user_groups",
            ("user_id", "group_id"),
            ((first_user + i, applicants.pk) for i in range(count)),
        )
        _copy(
            cursor,
            "persons_person",
            PERSON_COLUMNS,
            (
                (
                    first_person + i,
                    "resident_id",
                    p[0],
                    p[1],
                    f"139{i:08d}",
                    p[2],
                    p[3],
                    False,
                    now,
                    now,
                    first_user + i,
                )
                for i, p in enumerate(people)
            ),  # fmt: skip
        )
        for table in ("accounts_user", "accounts_user_groups", "persons_person"):
            _set_sequence(cursor, table)
    return first_person, first_user


def employer_chains() -> list[list[int]]:
    """For every active employer: [employer, department, county, city, province] ids."""
    from zhicheng.orgs.models import Organization, OrgStatus, OrgType

    by_path = dict(Organization.objects.filter(depth__lt=5).values_list("path", "id"))
    chains = []
    for org_id, path in (
        Organization.objects.filter(org_type=OrgType.EMPLOYER, status=OrgStatus.ACTIVE)
        .order_by("path")
        .values_list("id", "path")
    ):
        chains.append([org_id] + [by_path[path[: 4 * d]] for d in (4, 3, 2, 1)])
    return chains


APPLICATION_COLUMNS = (
    "id", "acquisition_method", "level", "route_kind", "year", "education", "school", "major",
    "graduation_date", "work_start_date", "current_title_name", "current_title_date",
    "notice_acknowledged_at", "integrity_pledged_at", "status", "route_chain", "route_position",
    "route_length", "version", "submitted_at", "decided_at", "created_at", "updated_at",
    "acceptance_office_id", "applicant_id", "committee_id", "current_organization_id",
    "employer_id", "person_id", "returned_from_id", "specialty_id", "title_id",
    "return_modules", "out_of_province", "origin_province", "origin_certificate_number",
)  # fmt: skip
ROUTE_NODE_COLUMNS = (
    "application_id", "organization_id", "position", "person_id", "title_id",
    "acquisition_method", "level", "year", "submitted_at",
)  # fmt: skip
REVIEW_RECORD_COLUMNS = (
    "action", "actor_name", "opinion", "reasons", "from_status", "to_status", "created_at",
    "actor_id", "application_id", "from_organization_id", "organization_id",
    "to_organization_id", "acceptance_number", "modules",
)  # fmt: skip
USER_COLUMNS = (
    "id", "password", "is_superuser", "username", "first_name", "last_name", "email",
    "is_staff", "is_active", "date_joined", "real_name", "phone", "must_change_password",
)  # fmt: skip
PERSON_COLUMNS = (
    "id", "id_type", "id_number", "name", "mobile", "birth_date", "gender", "is_retired",
    "created_at", "updated_at", "user_id",
)  # fmt: skip
# The tables those columns fill (a test checks that no NOT NULL column is left out).
COPIED_TABLES = {
    "applications.Application": APPLICATION_COLUMNS,
    "applications.ApplicationRouteNode": ROUTE_NODE_COLUMNS,
    "applications.ReviewRecord": REVIEW_RECORD_COLUMNS,
    "accounts.User": USER_COLUMNS,
    "persons.Person": PERSON_COLUMNS,
}
# (取得方式, route kind, levels on the route, share)
METHODS = (
    ("evaluation", "senior", 5, 0.6),
    ("recognition", "recognition", 4, 0.2),
    ("initial", "initial", 3, 0.2),
)


def _status(rng: random.Random) -> str:
    x = rng.random()
    if x < 0.03:
        return "draft"
    if x < 0.15:
        return "under_review"
    if x < 0.18:
        return "returned"
    if x < 0.95:
        return "approved"
    return "withdrawn"


def insert_applications(
    total: int,
    *,
    first_person: int,
    first_user: int,
    persons: int,
    pools: dict[str, Pool],
    committee_id: int | None,
    seed: int = 29,
) -> Dataset:
    """``total`` applications (pools included), their route nodes and 提交 records."""
    from django.db import connection

    from zhicheng.catalog.models import Specialty, Title

    rng = random.Random(seed)
    titles = list(Title.objects.values_list("id", "level"))
    specialties = list(Specialty.objects.filter(depth__gte=2).values_list("id", flat=True))
    chains = employer_chains()
    chains_at = {}  # pool organization → chains through it (a city bureau: position 3)
    for key, pool in pools.items():
        chains_at[key] = [c for c in chains if c[3] == pool.organization_id]
    names = dict(
        connection.cursor().cursor.execute("SELECT id, name FROM persons_person").fetchall()
    )
    data = Dataset(pools=pools)
    pool_queue = [key for key, pool in pools.items() for _ in range(pool.size)]
    rng.shuffle(pool_queue)
    # Pool applications are among the newest: spread over the last tenth of the ids.
    pool_share = min(1.0, 1.05 * len(pool_queue) / max(1, total // 10))
    start = dt.datetime(2021, 1, 4, 1, tzinfo=dt.UTC)
    span = (dt.datetime(2026, 11, 20, tzinfo=dt.UTC) - start).total_seconds()

    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM applications_application")
        first_app = cursor.fetchone()[0] + 1
        app_id = first_app - 1
        made = 0
        while made < total:
            apps, nodes, records = [], [], []
            for _ in range(min(CHUNK, total - made)):
                app_id += 1
                made += 1
                created = start + dt.timedelta(seconds=span * made / total + rng.random() * 60)
                pool_key = None
                in_tail = pool_queue and made > total - total // 10
                if in_tail and (total - made < len(pool_queue) or rng.random() < pool_share):
                    pool_key = pool_queue.pop()
                person_n = rng.randrange(persons)
                person_id, user_id = first_person + person_n, first_user + person_n
                if pool_key:
                    chain = rng.choice(chains_at[pool_key])
                    method, kind, levels = "evaluation", "senior", 5
                    status, position = "under_review", 3
                else:
                    chain = rng.choice(chains)
                    method, kind, levels = rng.choices(
                        [m[:3] for m in METHODS], weights=[m[3] for m in METHODS]
                    )[0]
                    status = _status(rng)
                    position = rng.randrange(levels) if status == "under_review" else 0
                route = chain[:levels]
                title_id, level = rng.choice(titles)
                submitted = created + dt.timedelta(hours=rng.randint(1, 72))
                returned_from = None
                if status == "under_review" and position < levels - 1 and rng.random() < 0.1:
                    returned_from = route[position + 1]
                current = route[position] if status == "under_review" else None
                graduated = dt.date(created.year - rng.randint(2, 25), 7, 1)
                apps.append(
                    (
                        app_id, method, level, kind, created.year, rng.choice(EDUCATIONS),
                        rng.choice(SCHOOLS), rng.choice(MAJORS), graduated,
                        graduated + dt.timedelta(days=60), "", None,
                        created if method != "evaluation" else None, created,
                        status, json.dumps(route if status != "draft" else []),
                        position, levels if status != "draft" else 0,
                        0 if status == "draft" else 1 + position,
                        None if status == "draft" else submitted,
                        submitted + dt.timedelta(days=30) if status == "approved" else None,
                        created, submitted, None, user_id,
                        committee_id if method == "evaluation" else None, current, route[0],
                        person_id, returned_from, rng.choice(specialties), title_id,
                        "[]", False, "", "",
                    )
                )  # fmt: skip
                data.by_status[status] = data.by_status.get(status, 0) + 1
                if pool_key:
                    pools[pool_key].ids.append(app_id)
                if status == "draft":
                    continue
                # The scope closure: the route, then the ancestors not on it (no level).
                # With the list columns the nodes copy (ApplicationRouteNode.COPIED_FIELDS).
                copied = (person_id, title_id, method, level, created.year, submitted)
                nodes.extend(
                    (app_id, org, pos if pos < levels else None, *copied)
                    for pos, org in enumerate(chain)
                )
                records.append(
                    ("submit", names[person_id], "", "[]", "draft", "under_review", submitted,
                     user_id, app_id, None, None, route[0], "", "[]")
                )  # fmt: skip
            data.applications += _copy(cursor, "applications_application", APPLICATION_COLUMNS, apps)  # fmt: skip
            data.route_nodes += _copy(
                cursor,
                "applications_applicationroutenode",
                ROUTE_NODE_COLUMNS,
                nodes,
            )  # fmt: skip
            data.review_records += _copy(
                cursor,
                "applications_reviewrecord",
                REVIEW_RECORD_COLUMNS,
                records,
            )  # fmt: skip
        for table in (
            "applications_application",
            "applications_applicationroutenode",
            "applications_reviewrecord",
        ):
            _set_sequence(cursor, table)
    data.persons = persons
    return data


def insert_blacklist(count: int, *, actor, organization, exclude: set[int]) -> int:
    """``count`` entries in force for random persons with an application (flagged in every
    list), none of them an applicant of ``exclude`` (the approval pools)."""
    from zhicheng.applications.models import Application
    from zhicheng.blacklist.models import BlacklistEntry

    rng = random.Random(3)
    pool_persons = set(
        Application.objects.filter(pk__in=list(exclude)).values_list("person_id", flat=True)
    )
    candidates = Application.objects.order_by("pk").values_list("person_id", flat=True)
    seen, chosen = set(), []
    for person_id in candidates[: count * 20].iterator():
        if person_id not in seen and person_id not in pool_persons and rng.random() < 0.5:
            chosen.append(person_id)
        seen.add(person_id)
        if len(chosen) == count:
            break
    BlacklistEntry.objects.bulk_create(
        BlacklistEntry(
            person_id=person_id,
            reason="false_materials",
            document_number=f"苏人社信〔2026〕{i + 1}号",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2029, 1, 1),
            created_by=actor,
            organization=organization,
        )
        for i, person_id in enumerate(chosen)
    )
    return len(chosen)
