"""The pages: 评后公示 for the committee, the public list, 1.15 for HR officers, the applicant's
workspace and timeline, the employer's results."""

import datetime as dt

from django.urls import reverse

from zhicheng.filings import services
from zhicheng.filings.models import FilingStatus, Objection
from zhicheng.filings.tests.conftest import ORDINARY_MONDAY
from zhicheng.titles.models import TitleHolding


def detail(plan):
    return reverse("filings:publicity-detail", args=[plan.pk])


def test_the_committee_publishes_records_resolves_and_sends_from_its_page(
    client, closed_plan, participants, committee_user, today
):
    client.force_login(committee_user)
    html = client.get(reverse("filings:publicity-list")).content.decode()
    assert closed_plan.name in html
    page = client.get(detail(closed_plan)).content.decode()
    assert 'data-testid="publish-form"' in page
    client.post(
        reverse("filings:publicity-publish", args=[closed_plan.pk]),
        {"starts_on": ORDINARY_MONDAY.isoformat()},
    )
    page = client.get(detail(closed_plan)).content.decode()
    assert "2026-11-09 至 2026-11-13" in page and 'data-testid="objection-form"' in page
    client.post(
        reverse("filings:objection-record", args=[closed_plan.pk]),
        {"participant": participants[1].pk, "content": "论文抄袭", "source": "实名来信"},
    )
    objection = Objection.objects.get()
    client.post(
        reverse("filings:objection-resolve", args=[objection.pk]),
        {"upheld": "1", "resolution": "核查属实"},
    )
    today(dt.date(2026, 11, 16))
    page = client.get(detail(closed_plan)).content.decode()
    assert "核查属实" in page and 'data-testid="send-filing"' in page
    response = client.post(reverse("filings:filing-send", args=[closed_plan.pk]), follow=True)
    assert "已报送备案" in response.content.decode()


def test_a_refused_publish_says_why(client, closed_plan, committee_user, today):
    client.force_login(committee_user)
    response = client.post(
        reverse("filings:publicity-publish", args=[closed_plan.pk]),
        {"starts_on": "2027-02-01"},
        follow=True,
    )
    assert "节假日安排只登记到 2026 年" in response.content.decode()


def test_the_public_page_needs_no_login_and_shows_no_id_number(client, published, participants):
    html = client.get(reverse("publicity")).content.decode()
    person = participants[0].application.person
    assert person.name in html and person.id_number not in html
    assert participants[2].application.person.name not in html  # failed the meeting


def test_hr_files_through_the_review_page(client, sent, hr_province, participants, world):
    client.force_login(hr_province)
    html = client.get(reverse("filings:filing-list")).content.decode()
    assert sent.plan.name in html and "审核" in html
    review = reverse("filings:filing-review", args=[sent.pk])
    page = client.get(review).content.decode()
    assert participants[0].application.person.name in page and 'data-testid="review-form"' in page
    refused = client.post(review, {"approved": "1"}).content.decode()
    assert "请填写备案文号" in refused
    client.post(
        review,
        {
            "approved": "1",
            "opinion": "同意",
            "filing_number": "苏职备1号",
            "filed_on": "2026-11-16",
        },
    )
    sent.refresh_from_db()
    assert sent.status == FilingStatus.APPROVED and TitleHolding.objects.count() == 2
    html = client.get(reverse("filings:filing-detail", args=[sent.pk])).content.decode()
    assert "苏职备1号" in html and 'id="attachments"' in html
    # 1.17 证书发放 lists them 未发放.
    issue = client.get(reverse("certificates:issue-list")).content.decode()
    assert participants[0].application.person.name in issue
    # The city officer below does not see the filing.
    client.force_login(world.officers["city_nj"])
    assert client.get(review).status_code == 404


def test_applicant_and_employer_see_the_result(client, sent, hr_province, world, participants):
    services.filing_review(
        actor=hr_province,
        filing=sent,
        approved=True,
        filing_number="苏职备2号",
        filed_on=dt.date(2026, 11, 16),
    )
    client.force_login(world.applicant)
    html = client.get(reverse("persons:workspace")).content.decode()
    assert "评审通过" in html and "苏职备2号" in html
    app = participants[0].application
    timeline = client.get(reverse("applications:application-timeline", args=[app.pk]))
    assert "评审通过" in timeline.content.decode()
    client.force_login(world.officers["unit_a"])
    html = client.get(reverse("filings:result-list")).content.decode()
    assert app.person.name in html and "评审通过" in html


def test_exports_of_every_list(client, sent, hr_province, committee_user):
    for user, names in (
        (hr_province, ("filings", "publicity-plans", "objections")),
        (committee_user, ("publicity-plans", "objections")),
    ):
        client.force_login(user)
        for name in names:
            response = client.post(reverse("tabular:export", args=[name]))
            assert response.status_code in (200, 302), (name, response.status_code)
