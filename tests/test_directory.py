"""The network's member directory follows each member's published profile."""

from django_tenants.utils import schema_context

from sites.members.models import MemberHomePage, ProfilePage
from tenants.models import DirectoryEntry


def _publish_profile(member, **fields) -> ProfilePage:
    with schema_context(member.schema):
        home = MemberHomePage.objects.get()
        profile = home.add_child(
            instance=ProfilePage(
                title="Kurzportrait",
                slug="kurzportrait",
                live=False,
                lead=fields.pop("lead", "Übergänge gestalten „vor Ort“."),
                facts=[("fact", {"label": "Einwohner", "value": "62.000"})],
                **fields,
            )
        )
        profile.save_revision().publish()
        return profile


def test_publishing_a_profile_fills_the_directory_entry(alpha, beta):
    _publish_profile(
        alpha,
        contact_name="Petra Muster",
        contact_role="Koordinatorin",
        contact_email="p@alpha.example",
    )
    entry = DirectoryEntry.objects.get(member=alpha.member)
    assert entry.contact_name == "Petra Muster"
    assert entry.contact_role == "Koordinatorin"
    assert entry.lead == "Übergänge gestalten „vor Ort“."
    assert entry.facts == [{"label": "Einwohner", "value": "62.000"}]
    assert entry.profile_url == "http://alpha.localhost/de/kurzportrait/"
    assert not DirectoryEntry.objects.filter(member=beta.member).exists()


def test_republishing_updates_and_unpublishing_removes_the_entry(alpha):
    profile = _publish_profile(alpha, contact_name="Alt")
    with schema_context(alpha.schema):
        profile = ProfilePage.objects.get(pk=profile.pk)
        profile.contact_name = "Neu"
        profile.save_revision().publish()
    assert DirectoryEntry.objects.get(member=alpha.member).contact_name == "Neu"
    with schema_context(alpha.schema):
        ProfilePage.objects.get(pk=profile.pk).unpublish()
    assert not DirectoryEntry.objects.filter(member=alpha.member).exists()


def test_each_member_has_its_own_entry(alpha, beta):
    _publish_profile(alpha, contact_name="Alpha Kontakt")
    _publish_profile(beta, contact_name="Beta Kontakt")
    names = dict(DirectoryEntry.objects.values_list("member__slug", "contact_name"))
    assert names == {"alpha": "Alpha Kontakt", "beta": "Beta Kontakt"}
