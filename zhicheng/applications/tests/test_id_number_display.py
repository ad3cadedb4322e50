"""身份证号 (issue 10): masked on every list and export whatever the viewer's rights; whole only
on 详情 for a role holding ``accounts.view_full_id_number``, each such view written to the
operation log as 查看身份证号：<name>; masked on 详情 for everyone else."""

from auditlog.models import LogEntry
from django.urls import reverse

from zhicheng.applications.tests.conftest import PERSONAL_DATA  # noqa: F401  (world's data)
from zhicheng.persons.services import id_number_reveal


def reveals():
    return LogEntry.objects.filter(additional_data__operation="view_id_number")


def test_the_city_bureau_sees_lists_masked_and_the_detail_whole_and_logged(
    world, client, submitted, climb
):
    app = climb(submitted("evaluation"), "unit_a", "dept_jn_it", "county_jn")
    officer = world.officers["city_nj"]
    assert officer.has_perm("accounts.view_full_id_number")
    person = app.person
    client.force_login(officer)
    for url in (reverse("applications:review-list"), reverse("applications:trace-list")):
        html = client.get(url, {"scope": "all"}).content.decode()
        assert person.masked_id_number in html, url
        assert person.id_number not in html, url
    assert not reveals().exists()

    html = client.get(reverse("applications:application-detail", args=[app.pk])).content.decode()
    assert person.id_number in html
    entry = reveals().get()
    assert entry.actor == officer
    assert entry.additional_data["summary"] == f"查看身份证号：{person.name}"


def test_the_unit_sees_the_detail_masked_and_nothing_is_logged(world, client, submitted):
    app = submitted("evaluation")
    officer = world.officers["unit_a"]
    assert not officer.has_perm("accounts.view_full_id_number")
    client.force_login(officer)
    html = client.get(reverse("applications:application-detail", args=[app.pk])).content.decode()
    assert app.person.id_number not in html and app.person.masked_id_number in html
    assert not reveals().exists()


def test_the_holder_sees_his_own_number_without_a_log_entry(world, draft):
    app = draft("evaluation")
    assert id_number_reveal(viewer=world.applicant, person=app.person) == app.person.id_number
    assert not reveals().exists()


def test_the_export_masks_for_the_city_bureau(world, submitted, climb):
    from zhicheng.tabular import services
    from zhicheng.tabular.tests.conftest import read_xlsx

    app = climb(submitted("evaluation"), "unit_a", "dept_jn_it", "county_jn")
    started = services.export_start(
        actor=world.officers["city_nj"], key="applications", params={"scope": "all"}
    )
    rows = read_xlsx(started.file.read())
    column = rows[0].index("身份证号")
    assert [r[column] for r in rows[1:]] == [app.person.masked_id_number]
