"""批量发放证书 jobs over the API: POST creates (201), GET lists and reads them, scoped."""

from zhicheng.certificates.models import Certificate, IssueJob
from zhicheng.certificates.services import issue_jobs

URL = "/api/v1/certificate-issue-jobs/"


def test_create_run_list_and_read_a_job(
    api_client, hr_city, hr_suzhou, applicant, nj_unit, pool, held
):
    first, second = held(2)
    client = api_client(hr_city)
    response = client.post(
        URL, {"holdings": [first.pk, second.pk], "issuing_unit": nj_unit.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "queued" and body["total"] == 2 and body["percent"] == 0
    issue_jobs.issue_job_run(body["id"])
    one = client.get(f"{URL}{body['id']}/").json()
    assert (one["status"], one["done"], one["failed"], one["percent"]) == ("finished", 2, 0, 100)
    assert [j["id"] for j in client.get(URL).json()["results"]] == [body["id"]]
    assert Certificate.objects.count() == 2
    # Scoped: another city sees nothing; an applicant may not.
    assert api_client(hr_suzhou).get(f"{URL}{body['id']}/").status_code == 404
    assert api_client(hr_suzhou).get(URL).json()["results"] == []
    assert api_client(applicant).get(URL).status_code == 403
    assert (
        api_client(applicant)
        .post(URL, {"everything": True, "issuing_unit": nj_unit.pk}, format="json")
        .status_code
        == 403
    )


def test_refusals_are_400_and_create_nothing(api_client, hr_city, sz_unit, nj_unit, held):
    (holding,) = held(1)
    client = api_client(hr_city)
    assert client.post(URL, {"issuing_unit": nj_unit.pk}, format="json").status_code == 400
    other = client.post(URL, {"holdings": [holding.pk], "issuing_unit": sz_unit.pk}, format="json")
    assert other.status_code == 400
    assert client.post(URL, {"holdings": ["x"]}, format="json").status_code == 400
    assert not IssueJob.objects.exists()
