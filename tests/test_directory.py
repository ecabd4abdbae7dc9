"""The network's member directory follows each member's published profile, through the
copy pipeline (its worker path: tests/test_highlights_worker.py)."""

from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from sites.highlights.models import DirectoryEntry
from sites.highlights.services import member_content_sync, member_content_sync_page
from sites.members.models import ProfilePage
from tests.factories import ProfilePageFactory, member_home


def _publish_profile(member, **fields) -> ProfilePage:
    with schema_context(member.schema):
        profile = ProfilePageFactory(
            parent=member_home(),
            facts=[("fact", {"label": "Einwohner", "value": "62.000"})],
            **fields,
        )
    member_content_sync_page(member.schema, profile.translation_key)
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
    report = member_content_sync_page(alpha.schema, profile.translation_key)
    assert report.directory.counts == (0, 1, 0)
    assert DirectoryEntry.objects.get(member=alpha.member).contact_name == "Neu"
    with schema_context(alpha.schema):
        ProfilePage.objects.get(pk=profile.pk).unpublish()
    assert member_content_sync_page(alpha.schema, profile.translation_key).directory.removed == 1
    assert not DirectoryEntry.objects.filter(member=alpha.member).exists()


def test_each_member_has_its_own_entry(alpha, beta):
    _publish_profile(alpha, contact_name="Alpha Kontakt")
    _publish_profile(beta, contact_name="Beta Kontakt")
    names = dict(DirectoryEntry.objects.values_list("member__slug", "contact_name"))
    assert names == {"alpha": "Alpha Kontakt", "beta": "Beta Kontakt"}


def test_reconciliation_heals_a_lost_entry_and_a_second_run_changes_nothing(alpha):
    _publish_profile(alpha, contact_name="Petra Muster")
    DirectoryEntry.objects.all().delete()  # as if the task had been lost
    assert member_content_sync().directory.counts == (1, 0, 0)
    assert DirectoryEntry.objects.get(member=alpha.member).contact_name == "Petra Muster"
    assert member_content_sync().directory.counts == (0, 0, 0)


def test_a_private_profile_is_not_in_the_directory(alpha):
    profile = _publish_profile(alpha, contact_name="Petra Muster")
    with schema_context(alpha.schema):
        PageViewRestriction.objects.create(page=profile, restriction_type=PageViewRestriction.LOGIN)
    assert member_content_sync([alpha.member]).directory.removed == 1
    assert not DirectoryEntry.objects.filter(member=alpha.member).exists()
