"""评审会议 pages: the committee's meeting page (open, attendance, close-check, close, results,
export), 我的评审 (score, vote, 电子档案, read-only after closing), 通过率上限; scope."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhicheng.meetings.models import Vote

pytestmark = pytest.mark.django_db


def test_the_meeting_cycle_through_the_pages(meeting_world, client, committee_user, private_media):
    w = meeting_world(2, open=False)
    meeting_url = reverse("meetings:meeting", args=[w.plan.pk])
    client.force_login(committee_user)
    plan_page = client.get(reverse("plans:plan-detail", args=[w.plan.pk])).content.decode()
    assert meeting_url in plan_page
    assert "开始评审会议" in client.get(meeting_url).content.decode()
    client.post(reverse("meetings:meeting-open", args=[w.plan.pk]))
    client.post(
        reverse("meetings:meeting-attendance", args=[w.plan.pk]),
        {"present": [w.members[0].pk, w.alternates[0].pk, w.alternates[1].pk]},
    )
    page = client.get(meeting_url).content.decode()
    assert "替补" in page and "结束前检查" in page

    for expert in w.members[:1] + w.alternates[:2]:
        client.force_login(expert.account)
        listing = client.get(reverse("meetings:review-list")).content.decode()
        assert w.plan.name in listing
        for participant in w.participants:
            review = reverse("meetings:review", args=[participant.pk])
            page = client.get(review).content.decode()
            assert "电子档案" in page and "保存打分" in page
            response = client.post(
                reverse("meetings:review-scores", args=[participant.pk]),
                {f"item_{w.items[0].pk}": "55", f"item_{w.items[1].pk}": "35"},
            )
            assert response.status_code == 302
            client.post(reverse("meetings:review-vote", args=[participant.pk]), {"choice": "agree"})
            assert "我的表决：同意" in client.get(review).content.decode()
    assert Vote.objects.count() == 6

    client.force_login(committee_user)
    page = client.get(meeting_url).content.decode()
    assert "已表决 6 / 6" in page
    assert "同意 3" not in page  # no tally before closing
    client.post(reverse("meetings:meeting-close", args=[w.plan.pk]))
    page = client.get(meeting_url).content.decode()
    assert "评审结果" in page and "通过率上限" in page
    export = client.post(reverse("tabular:export", args=["meeting-results"]) + f"?plan={w.plan.pk}")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "未通过原因" in rows[0] and "同意" in rows[0]
    assert len([r for r in rows[1:] if any(r)]) == len(w.participants)

    client.force_login(w.members[0].account)
    page = client.get(reverse("meetings:review", args=[w.participants[0].pk])).content.decode()
    assert "评审会议已结束" in page and "保存打分" not in page


def test_an_attachment_opens_for_the_panel_only(meeting_world, client, fill_pool, private_media):
    w = meeting_world(1)
    attachment = w.participants[0].application.attachments.first()
    url = reverse("meetings:review-attachment", args=[w.participants[0].pk, attachment.pk])
    client.force_login(w.members[0].account)
    assert client.get(url).status_code == 200
    outsider = fill_pool(1)[0].account
    outsider.must_change_password = False
    outsider.save()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("meetings:review", args=[w.participants[0].pk])).status_code == 404


def test_scope_of_the_meeting_page(meeting_world, client, world):
    w = meeting_world(1)
    url = reverse("meetings:meeting", args=[w.plan.pk])
    client.force_login(w.members[0].account)
    assert client.get(url).status_code == 403
    client.force_login(world.officers["province"])
    assert client.get(url).status_code == 403


def test_caps_page(client, world, committee_user):
    client.force_login(world.officers["province"])
    response = client.post(
        reverse("meetings:cap-set"), {"year": 2026, "level": "senior_full", "max_percent": 30}
    )
    assert response.status_code == 302
    client.force_login(committee_user)
    page = client.get(reverse("meetings:caps")).content.decode()
    assert "30%" in page and "设置通过率上限</a>" not in page
    assert client.get(reverse("meetings:cap-set")).status_code == 403


def test_the_expert_menu_has_my_reviews(meeting_world, client):
    w = meeting_world(1)
    client.force_login(w.members[0].account)
    page = client.get(reverse("meetings:review-list")).content.decode()
    assert "我的评审" in page


@pytest.mark.parametrize("present", ["abc", "0", str(2**70)])
def test_attendance_refuses_what_is_no_expert_id(meeting_world, client, committee_user, present):
    w = meeting_world(1, open=False)
    client.force_login(committee_user)
    client.post(reverse("meetings:meeting-open", args=[w.plan.pk]))
    response = client.post(
        reverse("meetings:meeting-attendance", args=[w.plan.pk]),
        {"present": [w.members[0].pk, present]},
        follow=True,
    )
    assert response.status_code == 200
    assert "到会专家有误" in response.content.decode()
