"""申报批次 pages: list, 开设 (form errors shown on the form), 详情, 提前结束; the window shown on
the 1.12 list (column and filter) and on the application detail."""

import datetime as dt

from zhicheng.applications import services as application_services
from zhicheng.windows.models import ApplicationWindow

from .conftest import minute

DAY = dt.timedelta(days=1)


def form_data(engineering, **change):
    return {
        "name": "页面申报批次",
        "year": minute().year,
        "series": engineering.pk,
        "level": "senior_deputy",
        "opens_at": minute(-DAY).astimezone().strftime("%Y-%m-%dT%H:%M"),
        "closes_at": minute(DAY).astimezone().strftime("%Y-%m-%dT%H:%M"),
        **change,
    }


def test_an_officer_opens_a_window_on_the_page_and_closes_it(client, hr_province, engineering):
    client.force_login(hr_province)
    assert "开设申报批次" in client.get("/windows/").content.decode()
    bad = client.post(
        "/windows/new/", form_data(engineering, closes_at=form_data(engineering)["opens_at"])
    )
    assert "应晚于开始时间" in bad.content.decode()
    assert not ApplicationWindow.objects.exists()
    created = client.post("/windows/new/", form_data(engineering))
    window = ApplicationWindow.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/windows/{window.pk}/"
    detail = client.get(f"/windows/{window.pk}/").content.decode()
    assert "进行中" in detail and "提前结束" in detail
    listed = client.get("/windows/").content.decode()
    assert "页面申报批次" in listed and "确定提前结束申报批次" in listed
    client.post(f"/windows/{window.pk}/close/")
    window.refresh_from_db()
    assert window.closed_early_at is not None
    assert "已提前结束" in client.get(f"/windows/{window.pk}/").content.decode()


def test_the_window_shows_on_the_review_list_and_the_detail(client, world, draft, open_window):
    window = open_window(name="列表中的批次")
    app = application_services.application_submit(
        actor=world.applicant, application=draft("evaluation")
    )
    officer = world.officers["unit_a"]
    client.force_login(officer)
    listed = client.get("/applications/", {"window": window.pk}).content.decode()
    assert "申报批次" in listed and "列表中的批次" in listed
    assert f'<option value="{window.pk}" selected>列表中的批次</option>' in listed
    detail = client.get(f"/applications/{app.pk}/").content.decode()
    assert f"列表中的批次（申报时间为 {window.period_display}）" in detail
