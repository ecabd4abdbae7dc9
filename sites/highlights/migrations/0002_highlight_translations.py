"""One Highlight row per translation group instead of one per page.

Fills ``translation_key`` of the existing rows from each member schema's page table, so
curation survives: rows of one group (a German page and its translation, both proposed)
merge into the original's row, which keeps the most advanced curation state of the group
and takes the others' title, teaser and URL as its ``translations``. URLs gain the
language prefix the pages are now served under. Rows whose page is gone are deleted.
The next sync then finds nothing to change for unchanged pages.

Reads member schemas and writes the public schema; the constraint swap follows in 0003
(PostgreSQL refuses to alter a table with pending trigger events in one transaction).
"""

from collections import defaultdict

from django.conf import settings
from django.db import migrations, models
from django_tenants.utils import quote_schema_name

# Which row's curation a merged group keeps: shown beats rejected beats waiting.
CURATION_RANK = {"featured": 0, "approved": 1, "rejected": 2, "proposed": 3}


def _page_keys(cursor, schema: str, page_ids: list[int]) -> dict[int, str]:
    table = f"{quote_schema_name(schema)}.wagtailcore_page"
    cursor.execute("SELECT to_regclass(%s)", [table])
    if cursor.fetchone()[0] is None:
        return {}  # no page table: the pages are gone
    cursor.execute(f"SELECT id, translation_key FROM {table} WHERE id = ANY(%s)", [page_ids])  # noqa: S608
    return dict(cursor.fetchall())


def _with_language(url: str, language: str) -> str:
    """http://herten.example/aktuelles/x/ -> http://herten.example/de/aktuelles/x/"""
    scheme, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    return f"{scheme}://{host}/{language}/{path}"


def fill_translation_keys(apps, schema_editor):
    Highlight = apps.get_model("highlights", "Highlight")
    Member = apps.get_model("tenants", "Member")
    members = Member.objects.filter(pk__in=Highlight.objects.values("member_id"))
    with schema_editor.connection.cursor() as cursor:
        for member in members:
            rows = list(Highlight.objects.filter(member=member))
            keys = _page_keys(cursor, member.schema_name, [row.source_page_id for row in rows])
            groups = defaultdict(list)
            for row in rows:
                groups[keys.get(row.source_page_id)].append(row)
            gone = groups.pop(None, [])
            Highlight.objects.filter(pk__in=[row.pk for row in gone]).delete()
            for key, group in groups.items():
                group.sort(key=lambda r: (r.locale != settings.LANGUAGE_CODE, r.source_page_id))
                original, others = group[0], group[1:]
                curated = min(group, key=lambda r: CURATION_RANK.get(r.state, 9))
                Highlight.objects.filter(pk__in=[row.pk for row in others]).delete()
                Highlight.objects.filter(pk=original.pk).update(
                    translation_key=key,
                    url=_with_language(original.url, original.locale),
                    translations={
                        row.locale: {
                            "title": row.title,
                            "teaser": row.teaser,
                            "url": _with_language(row.url, row.locale),
                        }
                        for row in others
                    },
                    state=curated.state,
                    sort_order=curated.sort_order,
                    changed_since_approval=curated.changed_since_approval,
                )


class Migration(migrations.Migration):
    dependencies = [
        ("highlights", "0001_initial"),
        ("tenants", "0002_directoryentry"),
    ]

    operations = [
        migrations.AddField(
            model_name="highlight",
            name="translation_key",
            field=models.UUIDField(null=True, verbose_name="Übersetzungsgruppe"),
        ),
        migrations.AddField(
            model_name="highlight",
            name="translations",
            field=models.JSONField(blank=True, default=dict, verbose_name="Übersetzungen"),
        ),
        migrations.RunPython(fill_translation_keys, migrations.RunPython.noop),
    ]
