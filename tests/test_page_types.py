"""Every page type: where it may be created, creation and publishing through the Wagtail
admin's form, and its page on the site's own host."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django_tenants.utils import schema_context
from wagtail.fields import StreamField
from wagtail.images.models import Image
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from core.schemas import is_public_schema
from sites.legal.models import (
    AccessibilityStatementPage,
    EasyLanguagePage,
    ImprintPage,
    PrivacyPage,
)
from sites.members.models import (
    MemberContactPage,
    MemberEventIndexPage,
    MemberEventPage,
    MemberHomePage,
    MemberNewsIndexPage,
    MemberNewsPage,
    MemberStandardPage,
    ProfilePage,
)
from sites.network.models import (
    HighlightIndexPage,
    MemberDirectoryPage,
    MembersAreaPage,
    MembersEventPage,
    MembersNewsPage,
    NetworkEventIndexPage,
    NetworkEventPage,
    NetworkHomePage,
    NetworkStandardPage,
    PressIndexPage,
    PressReleasePage,
)
from tests.conftest import HostClient
from tests.factories import ImageFactory, MemberNewsPageFactory, page_factory_for

BERLIN = ZoneInfo("Europe/Berlin")
INLINE = ["bold", "italic", "link"]
PARAGRAPH = ["bold", "italic", "link", "document-link", "ol", "ul"]

# The pages every site has, network and members alike (sites.legal).
LEGAL = (ImprintPage, PrivacyPage, AccessibilityStatementPage, EasyLanguagePage)
# The intended structure of both sites: page type -> (allowed parents, allowed children).
RULES = {
    MemberHomePage: (
        {Page},
        {
            ProfilePage,
            MemberNewsIndexPage,
            MemberEventIndexPage,
            MemberStandardPage,
            MemberContactPage,
            *LEGAL,
        },
    ),
    ProfilePage: ({MemberHomePage}, set()),
    MemberNewsIndexPage: ({MemberHomePage}, {MemberNewsPage}),
    MemberNewsPage: ({MemberNewsIndexPage}, set()),
    MemberEventIndexPage: ({MemberHomePage}, {MemberEventPage}),
    MemberEventPage: ({MemberEventIndexPage}, set()),
    MemberStandardPage: ({MemberHomePage, MemberStandardPage}, {MemberStandardPage}),
    MemberContactPage: ({MemberHomePage}, set()),
    NetworkHomePage: (
        {Page},
        {
            PressIndexPage,
            NetworkEventIndexPage,
            NetworkStandardPage,
            MemberDirectoryPage,
            HighlightIndexPage,
            MembersAreaPage,
            *LEGAL,
        },
    ),
    PressIndexPage: ({NetworkHomePage}, {PressReleasePage}),
    PressReleasePage: ({PressIndexPage}, set()),
    NetworkEventIndexPage: ({NetworkHomePage}, {NetworkEventPage}),
    NetworkEventPage: ({NetworkEventIndexPage}, set()),
    NetworkStandardPage: (
        {NetworkHomePage, NetworkStandardPage, MembersAreaPage},
        {NetworkStandardPage},
    ),
    MemberDirectoryPage: ({NetworkHomePage}, set()),
    HighlightIndexPage: ({NetworkHomePage}, set()),
    MembersAreaPage: (
        {NetworkHomePage},
        {MembersNewsPage, MembersEventPage, NetworkStandardPage},
    ),
    MembersNewsPage: ({MembersAreaPage}, set()),
    MembersEventPage: ({MembersAreaPage}, set()),
    **{model: ({MemberHomePage, NetworkHomePage}, set()) for model in LEGAL[:3]},
    EasyLanguagePage: ({MemberHomePage, NetworkHomePage, EasyLanguagePage}, {EasyLanguagePage}),
}
HOME_TYPES = (MemberHomePage, NetworkHomePage)
# At most one of these below the same parent.
SINGLETONS = (
    ProfilePage,
    MemberContactPage,
    MemberDirectoryPage,
    HighlightIndexPage,
    MembersAreaPage,
    *LEGAL[:3],
)


def _name(model) -> str:
    return model.__name__


@pytest.mark.parametrize("model", list(RULES), ids=_name)
def test_allowed_parents_and_children(model):
    parents, children = RULES[model]
    assert set(model.allowed_parent_page_models()) == parents
    assert set(model.allowed_subpage_models()) == children


# --- Page trees built directly (not through the admin) --------------------------------


def _add(parent: Page, model, slug: str, **fields) -> Page:
    return page_factory_for(model)(
        parent=parent, title=f"{_name(model)} {slug}", slug=slug, **fields
    )


def _first_parent(model) -> Page:
    """A page of ``model``'s first allowed parent type in the current schema, made if
    missing (index pages); home pages and the root already exist."""
    parent_model = model.allowed_parent_page_models()[0]
    if parent_model is Page:
        return Page.get_first_root_node()
    existing = parent_model.objects.first()
    if existing is not None:
        return existing
    return _add(_first_parent(parent_model), parent_model, "uebersicht")


def _every_parent_type(home_model, other_home_model) -> list[Page]:
    """In the current schema: root, its own home, a home of the other kind of site (made
    directly, as only the admin refuses it) and every page type that can have children."""
    root = Page.get_first_root_node()
    own_home = home_model.objects.get()
    other_home = _add(root, other_home_model, "andere-start")
    pages = [root, own_home, other_home]
    for home in (own_home, other_home):
        for model in RULES[type(home)][1]:
            if RULES[model][1]:  # an index or standard page
                existing = model.objects.child_of(home).first() if model in LEGAL else None
                page = existing or _add(home, model, f"{model._meta.model_name}")
                pages.append(page)
                pages.append(_add(page, next(iter(RULES[model][1])), "kind"))
    return pages


def test_each_type_can_be_created_only_below_its_parents_and_on_its_kind_of_site(alpha):
    """can_create_at for every type against every parent type, in a member schema and in
    public: member types only in member schemas, network types only in public."""
    wrong = []
    for schema, home_model, other_home_model in (
        (alpha.schema, MemberHomePage, NetworkHomePage),
        ("public", NetworkHomePage, MemberHomePage),
    ):
        with schema_context(schema):
            parents = _every_parent_type(home_model, other_home_model)
            for model, (allowed_parents, _) in RULES.items():
                on_its_site = model in LEGAL or model.for_network == is_public_schema(schema)
                for parent in parents:
                    expected = on_its_site and type(parent.specific) in allowed_parents
                    if model in SINGLETONS and model.objects.child_of(parent).exists():
                        expected = False  # the members' area made above is its only one
                    if model.can_create_at(parent) != expected:
                        wrong.append((schema, _name(model), _name(type(parent.specific))))
    assert wrong == [], "can_create_at differs from the rules for (schema, type, parent)"


@pytest.mark.parametrize(
    ("model", "site"),
    [(ProfilePage, "alpha"), (MemberContactPage, "alpha"), (MemberDirectoryPage, "network")],
    ids=lambda v: v if isinstance(v, str) else _name(v),
)
def test_one_profile_contact_and_directory_page_per_parent(model, site, alpha, site_admin):
    schema = alpha.schema if site == "alpha" else "public"
    client = site_admin(site)
    with schema_context(schema):
        home = model.allowed_parent_page_models()[0].objects.get()
        assert model.can_create_at(home)
        _add(home, model, "erste")
        assert not model.can_create_at(home)
    add_url = f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{home.pk}/"
    response = client.get(add_url)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize(
    ("model", "site"),
    [
        (MemberEventPage, "alpha"),  # below the home instead of an event index
        (NetworkStandardPage, "alpha"),  # a network type in a member's admin
        (MemberStandardPage, "network"),  # a member type in the network's admin
        (PressReleasePage, "network"),
    ],
    ids=lambda v: v if isinstance(v, str) else _name(v),
)
def test_admin_refuses_the_add_form_below_a_wrong_parent(model, site, alpha, site_admin):
    client = site_admin(site, superuser=True)
    with schema_context(alpha.schema if site == "alpha" else "public"):
        home = Site.objects.get().root_page
        count = model.objects.count()
    add_url = f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{home.pk}/"
    assert client.get(add_url)["Location"] == "/admin/"
    response = client.post(add_url, {"title": "Falsch", "slug": "falsch"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    with schema_context(alpha.schema if site == "alpha" else "public"):
        assert model.objects.count() == count


# --- Creation through the admin -------------------------------------------------------


@pytest.fixture
def site_admin(request, alpha):
    """The admin client for ``site``: the alpha coordinator (or an alpha superuser), or
    the central editor on the network."""

    def client(site: str, *, superuser=False) -> HostClient:
        if site == "network":
            return request.getfixturevalue("editor_client")
        if superuser:
            return request.getfixturevalue("member_superuser_client")
        return alpha.logged_in_client()

    return client


def _body(heading: str, text: str) -> dict:
    return streamfield(
        [
            ("heading", {"text": heading, "level": "h2"}),
            ("paragraph", rich_text(f"<p>{text}</p>", features=PARAGRAPH)),
        ]
    )


def _body_is(page, heading: str, text: str) -> bool:
    blocks = [(b.block_type, b.value) for b in page.body]
    return (
        len(blocks) == 2
        and blocks[0] == ("heading", {"text": heading, "level": "h2"})
        and blocks[1][0] == "paragraph"
        and text in blocks[1][1].source
    )


@dataclass
class Case:
    model: type
    form: dict  # form fields besides title and slug (nested as for nested_form_data)
    check: Callable[[Page], bool]  # the stored page has the form's values
    shown: str  # a value the page shows besides its title
    extra: dict = field(default_factory=dict)


def _home(model) -> Case:
    return Case(
        model,
        {"lead": "Gemeinsam vor Ort.", "body": _body("Wer wir sind", "Ein Netz für alle.")},
        lambda p: p.lead == "Gemeinsam vor Ort." and _body_is(p, "Wer wir sind", "Ein Netz"),
        "Gemeinsam vor Ort.",
    )


def _index(model) -> Case:
    return Case(
        model,
        {"intro": rich_text("<p>Alles <b>Aktuelle</b> aus der Region.</p>", features=INLINE)},
        lambda p: "<b>Aktuelle</b>" in p.intro,
        "aus der Region.",
    )


def _news(model) -> Case:
    return Case(
        model,
        {
            "date": "2025-03-14",
            "teaser": "Neue Ausbildungsplätze.",
            "body": _body("Worum es geht", "Zwanzig Betriebe machen mit."),
        },
        lambda p: (
            p.date == datetime.date(2025, 3, 14)
            and p.teaser == "Neue Ausbildungsplätze."
            and _body_is(p, "Worum es geht", "Zwanzig Betriebe")
        ),
        "Zwanzig Betriebe machen mit.",
    )


def _event(model) -> Case:
    return Case(
        model,
        {
            "start": "2030-05-12 09:30",
            "end": "2030-05-12 16:00",
            "teaser": "Betriebe stellen sich vor.",
            "venue_name": "Bürgerhaus Mitte",
            "venue_address": "Marktplatz 1",
            "seats": "40",
            "registration": rich_text("<p>Anmeldung per E-Mail.</p>", features=INLINE),
        },
        lambda p: (
            p.start == datetime.datetime(2030, 5, 12, 9, 30, tzinfo=BERLIN)
            and p.end == datetime.datetime(2030, 5, 12, 16, 0, tzinfo=BERLIN)
            and p.venue_name == "Bürgerhaus Mitte"
            and not p.online
            and p.seats == 40
            and "Anmeldung per E-Mail." in p.registration
        ),
        "Bürgerhaus Mitte",
    )


def _standard(model) -> Case:
    return Case(
        model,
        {
            "lead": "Vom Wissen zum Handeln.",
            "body": _body("Ziele", "Kein Abschluss ohne Anschluss."),
        },
        lambda p: p.lead == "Vom Wissen zum Handeln." and _body_is(p, "Ziele", "Kein Abschluss"),
        "Kein Abschluss ohne Anschluss.",
    )


CASES = [
    _home(MemberHomePage),
    Case(
        ProfilePage,
        {
            "lead": "Stadt im Ruhrgebiet.",
            "facts": streamfield([("fact", {"label": "Einwohner", "value": "62.000"})]),
            "further_links": streamfield(
                [("link", {"label": "Stadtportal", "page": "", "url": "https://alpha.example/"})]
            ),
            "contact_name": "Erika Muster",
            "contact_email": "erika@alpha.example",
            "latitude": "51.600000",
            "longitude": "7.140000",
        },
        lambda p: (
            p.lead == "Stadt im Ruhrgebiet."
            and [(f.value["label"], f.value["value"]) for f in p.facts] == [("Einwohner", "62.000")]
            and p.further_links[0].value["url"] == "https://alpha.example/"
            and p.contact_name == "Erika Muster"
            and p.contact_email == "erika@alpha.example"
            and str(p.latitude) == "51.600000"
        ),
        "62.000",
    ),
    _index(MemberNewsIndexPage),
    _news(MemberNewsPage),
    _index(MemberEventIndexPage),
    _event(MemberEventPage),
    _standard(MemberStandardPage),
    Case(
        MemberContactPage,
        {
            "lead": "So erreichen Sie uns.",
            "contact_name": "Max Beispiel",
            "contact_role": "Koordinierung",
            "contact_phone": "02366 303-0",
            "contact_email": "max@alpha.example",
            "contact_address": "Kurt-Schumacher-Str. 2",
        },
        lambda p: (
            p.contact_name == "Max Beispiel"
            and p.contact_phone == "02366 303-0"
            and p.contact_email == "max@alpha.example"
        ),
        "Max Beispiel",
    ),
    _home(NetworkHomePage),
    _index(PressIndexPage),
    _news(PressReleasePage),
    _index(NetworkEventIndexPage),
    _event(NetworkEventPage),
    _standard(NetworkStandardPage),
    Case(
        MemberDirectoryPage,
        {"intro": "Alle Kommunen im Netzwerk."},
        lambda p: p.intro == "Alle Kommunen im Netzwerk.",
        "Alle Kommunen im Netzwerk.",
    ),
]


def _form_data(model, html: str, title: str, slug: str, fields: dict):
    data = querydict_from_html(html, form_id="page-edit-form")
    filled = nested_form_data(fields)
    for stream in (f.name for f in model._meta.get_fields() if isinstance(f, StreamField)):
        if f"{stream}-count" not in filled:  # StreamFields are built by JavaScript
            filled[f"{stream}-count"] = "0"
    data.update({"title": title, "slug": slug, **filled, "action-publish": "action-publish"})
    return data


@pytest.mark.parametrize("case", CASES, ids=lambda c: _name(c.model))
def test_created_and_published_in_the_admin_and_shown_on_its_host(case, alpha, site_admin, request):
    model = case.model
    site = "network" if model.for_network else "alpha"
    schema, host = ("public", "localhost") if model.for_network else (alpha.schema, alpha.host)
    # A home page sits below the root, where only a superuser may add pages.
    client = site_admin(site, superuser=model in HOME_TYPES)
    with schema_context(schema):
        parent = _first_parent(model)
    title = f"{model._meta.verbose_name} über Übergänge"
    slug = "neu"
    add_url = f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"

    form = client.get(add_url)
    assert form.status_code == 200
    response = client.post(
        add_url, _form_data(model, form.content.decode(), title, slug, case.form)
    )

    assert response.status_code == 302, _form_errors(response)
    with schema_context(schema):
        page = model.objects.get(slug=slug)
        assert page.get_parent().pk == parent.pk
        assert page.live and not page.has_unpublished_changes
        assert page.title == title
        assert case.check(page), "stored values differ from the form"
        if model in HOME_TYPES:  # make the new home page the site's start page
            site_record = Site.objects.get()
            site_record.root_page = page
            site_record.save()
            request.addfinalizer(lambda: _forget_site_root_paths(schema))
        url = page.get_url()

    shown = HostClient(host).get(url)
    assert shown.status_code == 200
    html = shown.content.decode()
    assert [h.get_text(" ", strip=True) for h in BeautifulSoup(html, "html.parser")("h1")] == [
        title
    ]
    assert case.shown in html


def _forget_site_root_paths(schema: str) -> None:
    """The cached root paths outlive the rolled-back Site change (cache is in Redis)."""
    with schema_context(schema):
        Site.clear_site_root_paths_cache()


def _form_errors(response) -> str:
    if response.status_code != 200:
        return f"status {response.status_code}"
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return " | ".join(
        e.get_text(" ", strip=True)
        for e in soup.select(".error-message, .help-critical, .w-field__errors")
    )


# --- Images need alternative text -----------------------------------------------------


def test_publishing_with_an_image_without_alt_text_is_refused(alpha):
    client = alpha.logged_in_client()
    with schema_context(alpha.schema):
        image = ImageFactory(title="Gruppenfoto", description="")
        page = MemberNewsPageFactory(
            parent=_first_parent(MemberNewsPage),
            title="Entwurf mit Bild",
            slug="entwurf",
            publish=False,
        )
    edit_url = f"/admin/pages/{page.pk}/edit/"
    data = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    for stream in ("body", "attachments"):
        data.setdefault(f"{stream}-count", "0")
    data["image"] = str(image.pk)
    data["action-publish"] = "action-publish"

    response = client.post(edit_url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Das Bild „Gruppenfoto“ hat keinen Alternativtext." in html
    with schema_context(alpha.schema):
        page.refresh_from_db()
        assert not page.live
        assert page.image is None
        assert page.first_published_at is None
    assert alpha.client().get("/de/uebersicht/entwurf/").status_code == 404

    with schema_context(alpha.schema):
        Image.objects.filter(pk=image.pk).update(description="Gruppe vor dem Rathaus")
    response = client.post(edit_url, data)
    assert response.status_code == 302
    with schema_context(alpha.schema):
        page.refresh_from_db()
        assert page.live and page.image_id == image.pk
