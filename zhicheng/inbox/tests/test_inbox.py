"""消息: a user reads and marks only their own messages; the top bar shows the unread count."""

import pytest
from django.urls import reverse

from zhicheng.accounts.roles import Role
from zhicheng.common.errors import ApplicationError
from zhicheng.inbox import selectors, services
from zhicheng.inbox.models import MessageKind


@pytest.fixture
def two_users(orgs, make_user):
    return (
        make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER, username="t_inbox_a"),
        make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER, username="t_inbox_b"),
    )


def test_send_list_and_mark_read(two_users):
    me, other = two_users
    first = services.message_send(recipient=me, kind=MessageKind.NOTICE, title="一")
    services.message_send(recipient=me, kind=MessageKind.RETURN, title="二", body="补正")
    services.message_send(recipient=other, kind=MessageKind.NOTICE, title="别人的")
    assert [m.title for m in selectors.message_list(user=me)] == ["二", "一"]
    assert selectors.unread_count(user=me) == 2
    services.message_mark_read(actor=me, message=first)
    services.message_mark_read(actor=me, message=first)  # again: nothing changes
    assert selectors.unread_count(user=me) == 1
    assert services.messages_mark_all_read(actor=me) == 1
    assert selectors.unread_count(user=me) == 0
    assert selectors.unread_count(user=other) == 1


def test_another_users_message_cannot_be_marked(two_users):
    me, other = two_users
    theirs = services.message_send(recipient=other, kind=MessageKind.NOTICE, title="别人的")
    with pytest.raises(ApplicationError, match="消息不存在"):
        services.message_mark_read(actor=me, message=theirs)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_unknown_kind_is_a_programming_error(two_users):
    with pytest.raises(ValueError):
        services.message_send(recipient=two_users[0], kind="gossip", title="x")


def test_pages_show_the_badge_and_mark_read(client, two_users):
    me, other = two_users
    mine = services.message_send(
        recipient=me, kind=MessageKind.APPROVAL, title="审核通过", link="/persons/workspace/"
    )
    theirs = services.message_send(recipient=other, kind=MessageKind.NOTICE, title="别人的")
    client.force_login(me)
    page = client.get(reverse("inbox:message-list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="inbox-unread">1<' in html
    assert "审核通过" in html and "别人的" not in html
    assert client.post(reverse("inbox:message-read", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("inbox:message-read", args=[mine.pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == "/persons/workspace/"
    assert selectors.unread_count(user=me) == 0
    assert client.get(reverse("inbox:message-read", args=[mine.pk])).status_code == 405
    assert (
        'data-testid="inbox-unread"'
        not in client.get(reverse("inbox:message-list")).content.decode()
    )


def test_an_outside_link_is_not_followed(client, two_users):
    me, _ = two_users
    message = services.message_send(
        recipient=me, kind=MessageKind.NOTICE, title="x", link="https://evil.example/"
    )
    client.force_login(me)
    response = client.post(reverse("inbox:message-read", args=[message.pk]), {"open": "1"})
    assert response.url == reverse("inbox:message-list")


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("inbox:message-list"))
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize("bad_id", ["abc", "null,null", str(2**70)])
def test_an_id_that_cannot_be_one_is_404_not_500(api_client, two_users, bad_id):
    reader, _ = two_users
    client = api_client(reader)
    assert client.get(f"/api/v1/messages/{bad_id}/").status_code == 404
    assert client.post(f"/api/v1/messages/{bad_id}/read/").status_code == 404


def test_unread_must_be_a_boolean(api_client, two_users):
    reader, _ = two_users
    client = api_client(reader)
    services.message_send(recipient=reader, kind=MessageKind.NOTICE, title="通知")
    assert client.get("/api/v1/messages/?unread=null").status_code == 400
    assert len(client.get("/api/v1/messages/?unread=true").json()["results"]) == 1
    assert client.get("/api/v1/messages/?unread=false").json()["results"] == []
    assert len(client.get("/api/v1/messages/").json()["results"]) == 1  # no filter: all
