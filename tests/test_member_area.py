"""The network's members' area: its accounts (invited by central editors, public schema,
never in the admin, never on a member's site), its login pages, and its privacy: none of
its pages, documents or images reaches anybody who is not logged in, through any path.

Mails go to a real SMTP server in this process (``smtp_server``); the page cache test
works on committed data (the cache keeps nothing inside a transaction).
"""

import re
from datetime import timedelta
from types import SimpleNamespace
from uuid import uuid4

import environ
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context
from wagtail.models import Page, PageViewRestriction

from sites.member_area.models import MemberAccount
from sites.member_area.services import (
    InvitationInvalid,
    invitation_account,
    invitation_token,
    member_account_active_set,
    member_account_create,
    member_account_reinvite,
    member_area_ensure,
)
from sites.network.models import PressReleasePage
from sites.search.indexing import index_rebuild
from tenants.models import Member
from tenants.services import member_delete, member_update
from tests.conftest import NETWORK_HOST, HostClient
from tests.factories import (
    DocumentFactory,
    HighlightIndexPageFactory,
    ImageFactory,
    MemberDirectoryPageFactory,
    MemberFactory,
    MembersAreaPageFactory,
    MembersEventPageFactory,
    MembersNewsPageFactory,
    PressIndexPageFactory,
    PressReleasePageFactory,
    network_home,
    users_remove,
)
from tests.test_mail import smtp_server  # noqa: F401 - the fixture

STAFF_EMAIL = "pia.probe@alpha.example"
STAFF_PASSWORD = "Mitgliederbereich-Alpha-7"
SECRET = "Geheimprotokoll der Steuerungsgruppe"
LOGIN = "/de/login/"


@pytest.fixture
def area(platform, db):
    """A members' area in the menu (to prove the menu leaves it out) with minutes, an
    internal date, and a document and an image in the private collection."""
    with schema_context("public"):
        _group, private = member_area_ensure()
        page = MembersAreaPageFactory(parent=network_home(), show_in_menus=True)
        document = DocumentFactory(
            collection=private,
            title="Protokoll intern",
            file__data=b"vertraulich",
            file__filename="protokoll.txt",
        )
        image = ImageFactory(collection=private, title="Foto intern")
        news = MembersNewsPageFactory(
            parent=page,
            title=SECRET,
            teaser="Nur für Mitglieder",
            attachments=[("document", document)],
        )
        event = MembersEventPageFactory(parent=page, title="Internes Arbeitstreffen")
        return SimpleNamespace(
            page=page, news=news, event=event, document=document, image=image, private=private
        )


def account_for(member, email: str, name: str = "Pia Probe", password=STAFF_PASSWORD):
    """A staff account of ``member`` (``password=None``: invited, no password yet)."""
    first_name, last_name = name.split()
    with schema_context("public"):
        return member_account_create(
            first_name=first_name, last_name=last_name, email=email, member=member,
            invited_by="test", password=password,
        )  # fmt: skip


@pytest.fixture
def staff(alpha):
    """A staff person of member alpha with a password (as after the invitation)."""
    return account_for(alpha.member, STAFF_EMAIL)


def member_login(client: HostClient, email=STAFF_EMAIL, password=STAFF_PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


@pytest.fixture
def member_client(staff) -> HostClient:
    client = HostClient(NETWORK_HOST)
    assert member_login(client).status_code == 302, "members' login failed"
    return client


@pytest.fixture
def inbox(settings, smtp_server):  # noqa: F811 - the fixture
    """What the SMTP server in this process receives; the app sends there."""
    controller, handler = smtp_server
    config = environ.Env.email_url_config(f"smtp://127.0.0.1:{controller.port}")
    for key, value in config.items():
        setattr(settings, key, value)
    return handler.received


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://\S+", text).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^http://[^/]+", "", url)


# --- Logging in and out ------------------------------------------------------------------


def test_staff_log_in_through_login_and_see_the_members_area_with_their_name(area, staff):
    client = HostClient(NETWORK_HOST)
    home = client.get("/de/").content.decode()
    assert f'href="{LOGIN}"' in home  # "Login" in the header of every network page

    response = member_login(client, email=STAFF_EMAIL.upper())  # the address, any case
    assert response.status_code == 302
    assert response["Location"] == area.page.url
    assert client.get(LOGIN)["Location"] == area.page.url  # logged in: straight on

    page = client.get(area.page.url)
    assert page.status_code == 200
    assert "private" in page["Cache-Control"]
    html = page.content.decode()
    assert SECRET in html and "Internes Arbeitstreffen" in html
    assert "Pia Probe" in html and "Stadt Alpha" in html and "Abmelden" in html
    assert 'class="members-nav"' in html  # the area's own navigation


def test_login_goes_back_to_the_page_that_asked_for_it(area, staff):
    client = HostClient(NETWORK_HOST)
    asked = client.get(area.news.url)
    assert asked.status_code == 302
    login = client.get(asked["Location"], follow=True)
    assert login.redirect_chain[-1][0].startswith(f"{LOGIN}?next=")
    response = member_login(client, next=area.news.url)
    assert response["Location"] == area.news.url
    assert client.get(area.news.url).status_code == 200


def test_logout_ends_the_session_and_the_area_asks_for_login_again(area, member_client):
    response = member_client.post("/de/logout/")
    assert response.status_code == 302
    assert response.cookies["sessionid"].value == ""  # pages are cacheable again
    assert "Sie sind abgemeldet" in member_client.get(response["Location"]).content.decode()
    assert member_client.get(area.page.url).status_code == 302
    assert member_client.get("/de/logout/").status_code == 405  # only the button's POST


def test_wrong_passwords_are_throttled_like_every_other_login(alpha, settings):
    email = f"sperre{uuid4().int % 10**8}@alpha.example"  # counters outlive the test
    account_for(alpha.member, email, "Gerd Gesperrt")
    client = HostClient(NETWORK_HOST)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = member_login(client, email=email, password="falsch-geraten")
        assert wrong.status_code == 200
        assert "E-Mail-Adresse oder Passwort stimmen nicht" in wrong.content.decode()
    assert member_login(client, email=email, password="falsch-geraten").status_code == 429
    assert member_login(client, email=email).status_code == 429  # even the right one, for now


def test_the_login_pages_speak_english_under_en(staff):
    page = HostClient(NETWORK_HOST).get("/en/login/").content.decode()
    assert '<html lang="en"' in page
    assert "Members’ login" in page or "Members' login" in page
    assert "Forgot your password?" in page


# --- Two kinds of accounts, each only where it belongs -----------------------------------


def test_a_staff_account_never_gets_into_the_network_admin(staff, member_client):
    refused = HostClient(NETWORK_HOST).post(
        "/admin/login/", {"username": STAFF_EMAIL, "password": STAFF_PASSWORD}
    )
    assert refused.status_code == 200
    assert "keinen Zugang zur Verwaltung" in refused.content.decode()
    assert "sessionid" not in refused.cookies

    # logged in to the members' area, the admin still turns the person away
    for path in ("/admin/", "/admin/member_accounts/", "/admin/pages/"):
        response = member_client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_a_staff_account_cannot_log_in_on_a_members_site(alpha, staff):
    client = alpha.client()
    assert client.get(LOGIN).status_code == 404  # the members' area is the network's
    response = client.post("/admin/login/", {"username": STAFF_EMAIL, "password": STAFF_PASSWORD})
    assert response.status_code == 200  # not in this member's schema: the form again
    assert "sessionid" not in response.cookies


def test_a_coordinators_account_cannot_log_in_on_the_network(alpha, area):
    client = HostClient(NETWORK_HOST)
    response = member_login(client, email=alpha.coordinator, password=alpha.password)
    assert response.status_code == 200
    assert "stimmen nicht" in response.content.decode()
    admin = client.post(
        "/admin/login/", {"username": alpha.coordinator, "password": alpha.password}
    )
    assert admin.status_code == 200
    assert client.get(area.page.url).status_code == 302


def test_a_network_account_without_the_group_cannot_enter(area, platform):
    with schema_context("public"):
        get_user_model().objects.create_user(
            "ohne-gruppe@netzwerk.example", "ohne-gruppe@netzwerk.example", STAFF_PASSWORD
        )
    client = HostClient(NETWORK_HOST)
    response = member_login(client, email="ohne-gruppe@netzwerk.example")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


# --- Invitations and passwords by mail ------------------------------------------------------


def test_an_editor_invites_by_mail_and_the_link_sets_the_password_once(
    alpha, area, redaktion_client, inbox
):
    response = redaktion_client.post(
        "/admin/member_accounts/new/",
        {
            "first_name": "Nora",
            "last_name": "Neu",
            "email": "Nora.Neu@alpha.example",
            "member": alpha.member.pk,
            "language": "de",
        },
    )
    assert response.status_code == 302
    with schema_context("public"):
        account = MemberAccount.objects.get(user__email="nora.neu@alpha.example")
        assert account.member == alpha.member
        assert account.state == MemberAccount.State.INVITED
        assert not account.user.has_perm("wagtailadmin.access_admin")

    assert len(inbox) == 1
    mail = inbox[0]
    assert mail["To"] == "nora.neu@alpha.example"
    assert "Einladung" in mail["Subject"]
    link = path_of(link_in(mail))
    client = HostClient(NETWORK_HOST)
    form = client.get(link)
    assert form.status_code == 200 and "Stadt Alpha" in form.content.decode()

    weak = client.post(link, {"new_password1": "kurz", "new_password2": "kurz"})
    assert weak.status_code == 200 and "field-error" in weak.content.decode()
    chosen = "Ein-gutes-Passwort-2026"
    saved = client.post(link, {"new_password1": chosen, "new_password2": chosen})
    assert saved["Location"] == f"{LOGIN}?hinweis=passwort"
    assert member_login(client, email="nora.neu@alpha.example", password=chosen).status_code == 302
    assert client.get(area.page.url).status_code == 200

    again = HostClient(NETWORK_HOST).get(link)
    assert again.status_code == 404 and "gilt nicht mehr" in again.content.decode()


def test_an_expired_invitation_says_so_and_a_new_one_replaces_the_old_link(
    alpha, staff, settings, inbox
):
    account = account_for(alpha.member, "olaf@alpha.example", "Olaf Alt", password=None)
    with schema_context("public"):
        old = invitation_token(account.user)
        settings.MEMBER_INVITATION_VALIDITY = timedelta(seconds=-1)
        assert account.state == MemberAccount.State.EXPIRED
        expired = HostClient(NETWORK_HOST).get(f"/de/login/einladung/{old}/")
        assert expired.status_code == 410 and "abgelaufen" in expired.content.decode()

        settings.MEMBER_INVITATION_VALIDITY = timedelta(days=7)
        member_account_reinvite(account=account, invited_by="test")
        assert len(inbox) == 1
        with pytest.raises(InvitationInvalid):
            invitation_account(old)  # the earlier link no longer works
        assert invitation_account(path_of(link_in(inbox[0])).split("/")[-2]) == account
        with pytest.raises(Exception, match="schon ein Passwort"):
            member_account_reinvite(account=staff, invited_by="test")


def test_a_deactivated_account_can_no_longer_log_in_nor_use_its_session(area, staff, member_client):
    with schema_context("public"):
        member_account_active_set(account=staff, active=False)
    assert member_client.get(area.page.url).status_code == 302
    refused = member_login(HostClient(NETWORK_HOST))
    assert refused.status_code == 200 and "sessionid" not in refused.cookies


def test_password_reset_mails_a_link_that_works_once(alpha, staff, inbox):
    client = HostClient(NETWORK_HOST)
    for address in (STAFF_EMAIL, "unbekannt@example.org", alpha.coordinator):
        response = client.post("/de/login/passwort/", {"email": address})
        assert response["Location"] == "/de/login/passwort/gesendet/"  # the same for all
    assert [m["To"] for m in inbox] == [STAFF_EMAIL]  # only the staff account

    link = path_of(link_in(inbox[0]))
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0]
    chosen = "Neues-Passwort-fuer-Pia-9"
    done = client.post(set_url, {"new_password1": chosen, "new_password2": chosen})
    assert done["Location"] == "/de/login/passwort/fertig/"
    assert member_login(HostClient(NETWORK_HOST), password=chosen).status_code == 302
    assert "gilt nicht mehr" in HostClient(NETWORK_HOST).get(link, follow=True).content.decode()


# --- The network admin's accounts --------------------------------------------------------


def test_editors_list_accounts_by_member_and_a_members_admin_never_sees_them(
    alpha, beta, staff, redaktion_client
):
    account_for(beta.member, "berta@beta.example", "Berta Beta", password=None)
    listing = redaktion_client.get("/admin/member_accounts/").content.decode()
    assert "Pia Probe" in listing and "Berta Beta" in listing and "Eingeladen" in listing
    only_alpha = redaktion_client.get(f"/admin/member_accounts/?member={alpha.member.pk}")
    assert "Pia Probe" in only_alpha.content.decode()
    assert "Berta Beta" not in only_alpha.content.decode()

    coordinator = alpha.logged_in_client()
    assert coordinator.get("/admin/member_accounts/").status_code in (302, 403)


# --- Private stays private ----------------------------------------------------------------


def test_the_area_pages_answer_only_to_members(area, member_client):
    anonymous = HostClient(NETWORK_HOST)
    for page in (area.page, area.news, area.event):
        refused = anonymous.get(page.url)
        assert refused.status_code == 302 and "login" in refused["Location"]
        shown = member_client.get(page.url)
        assert shown.status_code == 200
        assert "private" in shown["Cache-Control"]
    event_file = f"/feeds/events/{area.event.pk}.ics"
    assert event_file not in member_client.get(area.event.url).content.decode()  # not public
    assert member_client.get(f"/de{event_file}").status_code == 404


def test_the_area_is_in_no_public_list_feed_sitemap_or_search(area, member_client):
    with schema_context("public"):
        home = network_home()
        index = PressIndexPageFactory(parent=home, show_in_menus=True)
        PressReleasePageFactory(parent=index, title="Öffentliche Pressemitteilung")
        directory = MemberDirectoryPageFactory(parent=home)
        highlights = HighlightIndexPageFactory(parent=home)
    index_rebuild()
    for client in (HostClient(NETWORK_HOST), member_client):
        for path in (
            "/de/",
            index.url,
            directory.url,
            highlights.url,
            "/sitemap.xml",
            "/de/feeds/news.rss",
            "/de/feeds/events.ics",
            "/de/feeds/highlights.rss",
            "/de/suche/?q=Geheimprotokoll",
            "/de/suche/?q=Arbeitstreffen",
        ):
            text = client.get(path).content.decode()
            assert SECRET not in text and "Internes Arbeitstreffen" not in text, path
            assert area.page.url not in text.replace('href="/de/mitgliederbereich/"', ""), path
        home = client.get("/de/").content.decode()
        assert "Öffentliche Pressemitteilung" in home  # the lists themselves work
        menu = re.search(r'<nav class="main-nav".*?</nav>', home, re.S).group(0)
        assert area.page.title not in menu


def test_restricted_news_stay_out_of_the_home_and_the_index(platform, db):
    """Any private page (a Plone import's members-only item, a login restriction) is left
    out of the lists that the page cache keeps for everybody."""
    with schema_context("public"):
        index = PressIndexPageFactory(parent=network_home())
        private = PressReleasePageFactory(parent=index, title="Nur mit Login")
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        assert not PressReleasePage.objects.live().public().filter(pk=private.pk).exists()
    client = HostClient(NETWORK_HOST)
    assert "Nur mit Login" not in client.get("/de/").content.decode()
    assert "Nur mit Login" not in client.get(index.url).content.decode()


def test_private_documents_and_images_answer_only_to_members(area, member_client, alpha):
    anonymous = HostClient(NETWORK_HOST)
    with schema_context("public"):  # file URLs carry the schema they are read in
        document_url = area.document.url
        image_urls = (area.image.file.url, area.image.get_rendition("fill-480x270").url)
    refused = anonymous.get(document_url)
    assert refused.status_code == 302 and "login" in refused["Location"]
    served = member_client.get(document_url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"vertraulich"
    assert "private" in served["Cache-Control"]
    # the same address on a member's host belongs to that member's schema
    assert alpha.client().get(document_url).status_code == 404

    for url in image_urls:
        assert anonymous.get(url).status_code == 404
        image = member_client.get(url)
        assert image.status_code == 200, url
        assert "private" in image["Cache-Control"]


def test_the_area_stays_restricted_to_the_group(area, django_capture_on_commit_callbacks):
    with schema_context("public"):
        restriction = PageViewRestriction.objects.get(page=area.page)
        assert [g.name for g in restriction.groups.all()] == ["Mitglieder"]
        with django_capture_on_commit_callbacks(execute=True):
            restriction.delete()  # "public" in the admin's privacy dialog
        restored = PageViewRestriction.objects.get(page=area.page)
        assert restored.restriction_type == "groups"
        assert [g.name for g in restored.groups.all()] == ["Mitglieder"]
        with django_capture_on_commit_callbacks(execute=True):
            restored.restriction_type = "password"  # a shared password instead
            restored.password = "geheim"
            restored.save()
        only = PageViewRestriction.objects.get(page=area.page)
        assert only.restriction_type == "groups"
        assert [g.name for g in only.groups.all()] == ["Mitglieder"]
    assert HostClient(NETWORK_HOST).get(area.page.url).status_code == 302


def test_staff_of_an_archived_member_are_logged_out_until_it_is_active_again(
    alpha, area, staff, member_client
):
    member_update(alpha.member, state=Member.State.ARCHIVED)
    assert member_client.get(area.page.url).status_code == 302  # the session no longer counts
    assert member_login(HostClient(NETWORK_HOST)).status_code == 200
    member_update(alpha.member, state=Member.State.ACTIVE)
    assert member_login(HostClient(NETWORK_HOST)).status_code == 302


def test_a_deleted_members_staff_lose_their_access(committed, tmp_path):
    """Committed: deleting a member backs it up first, which reads the database from
    another process."""
    gamma = MemberFactory(name="Stadt Gamma", slug="gamma")
    try:
        account = account_for(gamma, "gero@gamma.example", "Gero Gamma")
    finally:
        member_delete(gamma, tmp_path)
    with schema_context("public"):
        user = get_user_model().objects.get(pk=account.user_id)
        assert not MemberAccount.objects.filter(pk=account.pk).exists()
        assert not user.is_active and not user.groups.exists()
    assert member_login(HostClient(NETWORK_HOST), email="gero@gamma.example").status_code == 200
    with schema_context("public"):
        users_remove(get_user_model().objects.filter(pk=user.pk))  # what the test made


def test_a_cached_public_page_never_carries_a_members_name_or_the_areas_content(committed):
    """Committed: the page cache keeps nothing inside a transaction. A member's visit
    is never cached, and the anonymous copy it leaves behind holds nothing of theirs."""
    with schema_context("public"):
        area = MembersAreaPageFactory(parent=network_home(), show_in_menus=True)
        MembersNewsPageFactory(parent=area, title=SECRET)
    account = account_for(Member.objects.get(slug="alpha"), STAFF_EMAIL)
    try:
        member = HostClient(NETWORK_HOST)
        assert member_login(member).status_code == 302
        for path in ("/de/", area.url):
            for _ in range(2):
                seen = member.get(path)
                assert seen.status_code == 200 and seen["X-Cache"] == "bypass"
                assert "private" in seen["Cache-Control"]
            assert "Pia Probe" in seen.content.decode()

        HostClient(NETWORK_HOST).get("/de/")
        anonymous = HostClient(NETWORK_HOST).get("/de/")
        assert anonymous["X-Cache"] == "hit"
        assert "Vary" not in anonymous or "Cookie" not in anonymous["Vary"]
        text = anonymous.content.decode()
        assert "Pia Probe" not in text and "Angemeldet" not in text and SECRET not in text
        assert f'href="{LOGIN}"' in text
        for _ in range(2):
            refused = HostClient(NETWORK_HOST).get(area.url)
            assert refused.status_code == 302 and refused.get("X-Cache") != "hit"
    finally:
        with schema_context("public"):
            Page.objects.get(pk=area.pk).delete()
            users_remove(get_user_model().objects.filter(pk=account.user_id))


def test_a_members_page_refuses_files_of_a_public_collection(area):
    """A public file would be served to everybody by its URL, even from a private page."""
    with schema_context("public"):
        public = DocumentFactory(title="Öffentliches Merkblatt")
        with pytest.raises(ValidationError) as refused:
            MembersNewsPageFactory(parent=area.page, attachments=[("document", public)])
        assert "Öffentliches Merkblatt" in str(refused.value.message_dict["attachments"])
        with pytest.raises(ValidationError) as refused:
            MembersEventPageFactory(parent=area.page, image=ImageFactory(title="Plakat"))
        assert "Mitgliederbereich" in str(refused.value.message_dict["image"])
        MembersNewsPageFactory(parent=area.page, attachments=[("document", area.document)])


def test_inviting_an_address_that_has_an_account_is_refused_at_the_field(
    alpha, staff, redaktion_client
):
    response = redaktion_client.post(
        "/admin/member_accounts/new/",
        {
            "first_name": "Pia",
            "last_name": "Doppelt",
            "email": STAFF_EMAIL.upper(),
            "member": alpha.member.pk,
            "language": "de",
        },
    )
    assert response.status_code == 200
    assert "Es gibt schon ein Konto mit dieser E-Mail-Adresse." in response.content.decode()
    with schema_context("public"):
        assert MemberAccount.objects.filter(user__email=STAFF_EMAIL).count() == 1


def test_wagtails_login_for_private_pages_leads_to_the_members_login_in_its_language(platform, db):
    client = HostClient(NETWORK_HOST)
    assert client.get("/_util/login/?next=/en/intern/")["Location"].startswith("/en/login/?next=")
    document = client.get("/_util/login/?next=/documents/1/a.txt")["Location"]
    assert document.startswith("/de/login/?next=")
