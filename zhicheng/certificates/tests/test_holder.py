"""The holder's own certificate (issue 10 #1): the applicant sees it in 我的申报 and on the
application's 详情, downloads the signed PDF, finds the 核验 link, and is told when it is issued
and when it is revoked; nobody else's certificate is reachable."""

from django.test import Client
from django.urls import reverse

from zhicheng.certificates.services import issuing


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_holder_lists_and_downloads_only_his_own_certificate(issued, api_client):
    mine, theirs = issued
    holder = mine.holding.person.user
    api = api_client(holder)
    listing = api.get("/api/v1/certificates/")
    assert listing.status_code == 200
    assert [row["number"] for row in listing.json()["results"]] == [mine.number.number]
    own_file = api.get(f"/api/v1/certificates/{mine.pk}/file/")
    assert own_file.status_code == 200
    assert own_file["Content-Type"] == "application/pdf"
    assert api.get(f"/api/v1/certificates/{theirs.pk}/file/").status_code == 404
    assert (
        api.post(f"/api/v1/certificates/{mine.pk}/revoke/", {"reason": "自撤"}).status_code == 403
    )

    page = client_for(holder)
    assert page.get(reverse("certificates:certificate-file", args=[mine.pk])).status_code == 200
    other = page.get(reverse("certificates:certificate-file", args=[theirs.pk]))
    assert other.status_code == 404
    # The officers' pages stay closed to the holder.
    assert page.get(reverse("certificates:certificate-list")).status_code == 403


def test_an_applicant_without_a_certificate_sees_none(issued, make_applicant, api_client):
    applicant = make_applicant("无证").user
    assert api_client(applicant).get("/api/v1/certificates/").json()["results"] == []
    page = client_for(applicant).get(reverse("persons:workspace")).content.decode()
    assert 'data-testid="no-certificates"' in page


def test_the_workspace_shows_the_certificate_and_the_messages(issued, hr_city):
    mine = issued[0]
    holder = mine.holding.person.user
    client = client_for(holder)
    page = client.get(reverse("persons:workspace")).content.decode()
    assert 'data-testid="my-certificates"' in page
    assert mine.number.number in page and issued[1].number.number not in page
    assert reverse("certificates:certificate-file", args=[mine.pk]) in page
    assert f"/verify/?number={mine.number.number}&amp;name=" in page
    assert 'data-message="certificate-issued"' in page
    assert 'data-message="certificate-revoked"' not in page

    issuing.certificate_revoke(actor=hr_city, certificate=mine, reason="提供虚假材料取得")
    page = client.get(reverse("persons:workspace")).content.decode()
    assert "已撤销" in page
    assert 'data-message="certificate-revoked"' in page and "提供虚假材料取得" in page


def test_the_application_detail_names_its_certificate(issued, hr_city):
    mine = issued[0]
    holder = mine.holding.person.user
    url = reverse("applications:application-detail", args=[mine.holding.application_id])
    page = client_for(holder).get(url).content.decode()
    assert 'data-testid="application-certificate"' in page
    assert mine.number.number in page and "职称证书已发放" in page
    issuing.certificate_revoke(actor=hr_city, certificate=mine, reason="撤销")
    page = client_for(holder).get(url).content.decode()
    assert "已于" in page and "撤销" in page


def test_revocation_shows_in_the_issue_list_and_the_timeline(issued, hr_city):
    mine = issued[0]
    issuing.certificate_revoke(actor=hr_city, certificate=mine, reason="提供虚假材料取得")
    client = client_for(hr_city)
    listing = client.get(reverse("certificates:issue-list")).content.decode()
    row = " ".join(listing.split(mine.holding.person.name, 1)[1].split("</tr>", 1)[0].split())
    assert "已撤销 </td>" in row and 'data-testid="certificate-revoked"' in row

    url = reverse("applications:application-timeline", args=[mine.holding.application_id])
    for viewer in (hr_city, mine.holding.person.user):
        page = client_for(viewer).get(url).content.decode()
        timeline = page.split('data-testid="timeline"', 1)[1].split("</table>", 1)[0]
        issue_at = timeline.index("证书发放")
        revoke_at = timeline.index("证书撤销")
        assert issue_at < revoke_at  # in time order, after the review steps
        assert timeline.rindex("审核通过") < issue_at
        assert mine.number.number in timeline and "提供虚假材料取得" in timeline


def test_the_query_and_the_detail_link_to_the_pdf(issued, hr_city):
    mine = issued[0]
    file_url = reverse("certificates:certificate-file", args=[mine.pk])
    client = client_for(hr_city)
    detail = client.get(reverse("certificates:certificate-detail", args=[mine.pk])).content
    assert f'href="{file_url}">查看证书</a>' in detail.decode()
    listing = client.get(reverse("certificates:certificate-list")).content.decode()
    assert f'href="{file_url}"' in listing
    assert client.get(file_url)["Content-Type"] == "application/pdf"
