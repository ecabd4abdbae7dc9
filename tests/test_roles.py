"""Central editors ("Redaktion") work on the network site and its member list only."""

from tests.conftest import REDAKTION_USER


def test_central_editor_reaches_pages_images_documents_and_members(redaktion_client):
    for url in (
        "/admin/",
        "/admin/pages/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/members/",
    ):
        response = redaktion_client.get(url, follow=True)
        assert response.status_code == 200, url
        assert "/admin/login/" not in response.request["PATH_INFO"], url


def test_central_editor_cannot_manage_users_or_delete_members(redaktion_client, alpha):
    assert redaktion_client.get("/admin/users/").status_code in (302, 403)
    response = redaktion_client.get(f"/admin/members/delete/{alpha.member.pk}/")
    assert response.status_code in (302, 403, 404)


def test_central_editor_account_does_not_exist_on_member_sites(redaktion_client, alpha):
    username, password = REDAKTION_USER
    response = alpha.client().post("/admin/login/", {"username": username, "password": password})
    assert response.status_code == 200
    assert alpha.client().get("/admin/").status_code == 302
