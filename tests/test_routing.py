"""Which host reaches which site."""

import re

import pytest
from django.db import connection

from tenants.models import Member
from tenants.services import member_update
from tests.conftest import HostClient


def heading(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode()).group(1)


def test_network_site_answers_on_network_hosts(network_client):
    for host in ("localhost", "127.0.0.1", "localhost:8000"):
        response = HostClient(host).get("/de/")
        assert response.status_code == 200
        assert heading(response) == "Kommunale Koordinierung"


def test_each_member_is_served_on_its_own_host(alpha, beta):
    assert heading(alpha.client().get("/de/")) == "Stadt Alpha"
    assert heading(beta.client().get("/de/")) == "Kreis Beta"
    assert heading(HostClient("alpha.localhost:8000").get("/de/")) == "Stadt Alpha"


@pytest.mark.parametrize("path", ["/de/", "/admin/", "/admin/login/", "/de/some/page/"])
def test_unknown_host_gets_a_404_page_not_the_network_site(platform, db, path):
    response = HostClient("gamma.localhost").get(path)
    assert response.status_code == 404
    assert "Diese Adresse gehört zu keiner Website des Netzwerks" in response.content.decode()
    assert "gamma.localhost" in response.content.decode()
    assert "Kommunale Koordinierung</h1>" not in response.content.decode()


def test_unknown_path_on_a_member_is_a_404(alpha):
    response = alpha.client().get("/de/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_archived_member_is_offline_and_keeps_its_data(alpha):
    member_update(alpha.member, state=Member.State.ARCHIVED)
    response = alpha.client().get("/de/")
    assert response.status_code == 410
    assert "Stadt Alpha ist offline" in response.content.decode()
    assert alpha.client().get("/admin/login/").status_code == 410
    member_update(alpha.member, state=Member.State.ACTIVE)
    assert alpha.client().get("/de/").status_code == 200


def test_request_leaves_connection_in_the_hosts_schema(alpha, beta):
    alpha.client().get("/de/")
    assert connection.schema_name == "alpha"
    beta.client().get("/de/")
    assert connection.schema_name == "beta"
