"""The template texts the legal pages and the Leichte-Sprache page are created with.

Evaluated in the language of the home page they are created below. ``[Bitte ergänzen:``
(English ``[Please complete:``) marks what the editors must fill in; the dashboard warns
while such a mark is left.
"""

from django.utils.translation import gettext as _


def _heading(text: str) -> dict:
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def _text(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def imprint() -> dict:
    return {
        "title": _("Impressum"),
        "slug": _("impressum"),
        "body": [
            _heading(_("Haftung für Links")),
            _text(
                "<p>"
                + _(
                    "Diese Website enthält Links zu Websites anderer Anbieter. Für deren "
                    "Inhalte sind allein diese Anbieter verantwortlich."
                )
                + "</p>"
            ),
            _heading(_("Bildnachweise")),
            _text(
                "<p>"
                + _("[Bitte ergänzen: wer die Fotos und Grafiken dieser Website gemacht hat.]")
                + "</p>"
            ),
        ],
    }


def privacy() -> dict:
    return {
        "title": _("Datenschutzerklärung"),
        "slug": _("datenschutz"),
        "body": [
            _heading(_("Weitere Verarbeitungen")),
            _text(
                "<p>"
                + _(
                    "[Bitte ergänzen: was Ihre Stelle auf dieser Website sonst noch "
                    "verarbeitet, zum Beispiel für einen Newsletter. Gibt es nichts weiter, "
                    "diesen Abschnitt löschen.]"
                )
                + "</p>"
            ),
        ],
    }


def accessibility_statement() -> dict:
    return {
        "title": _("Erklärung zur Barrierefreiheit"),
        "slug": _("barrierefreiheit"),
        "non_accessible_content": "<p>"
        + _(
            "[Bitte ergänzen: welche Inhalte nicht barrierefrei sind (zum Beispiel ältere "
            "PDF-Dokumente), warum, und wie man sie stattdessen bekommt.]"
        )
        + "</p>",
        "enforcement": "<p>"
        + _(
            "Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können "
            "Sie einen Antrag auf ein Schlichtungsverfahren stellen. Es ist kostenlos, und "
            "Sie brauchen keinen Rechtsbeistand."
        )
        + "</p><p>"
        + _(
            "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz bei dem "
            "Beauftragten der Bundesregierung für die Belange von Menschen mit Behinderungen"
        )
        + "<br/>Mauerstraße 53, 10117 Berlin<br/>"
        + _("Telefon")
        + ": 030 18 527-2805<br/>"
        + _("E-Mail")
        + ': <a href="mailto:info@schlichtungsstelle-bgg.de">info@schlichtungsstelle-bgg.de</a>'
        + '<br/><a href="https://www.schlichtungsstelle-bgg.de">www.schlichtungsstelle-bgg.de</a>'
        + "</p><p>"
        + _(
            "[Bitte ergänzen: Für Kommunen ist meist die Schlichtungs- oder Ombudsstelle "
            "des Landes zuständig. Bitte prüfen und diese Angaben ersetzen.]"
        )
        + "</p>",
        "body": [],
    }


def easy_language() -> dict:
    """The site explained in Leichte Sprache (German only: it is a kind of German)."""
    return {
        "title": "Leichte Sprache",
        "slug": "leichte-sprache",
        "body": [
            _heading("Was steht auf dieser Internet-Seite?"),
            _text(
                "<p>Wir helfen jungen Menschen.<br/>"
                "Beim Weg von der Schule in eine Ausbildung.<br/>"
                "Oder in eine Arbeit.</p>"
                "<p>Auf dieser Internet-Seite finden Sie:</p>"
                "<ul><li>Nachrichten</li><li>Termine</li>"
                "<li>wie Sie uns erreichen</li></ul>"
            ),
            _heading("Wie finde ich mich zurecht?"),
            _text(
                "<p>Oben auf jeder Seite ist das Menü.<br/>"
                "Dort klicken Sie auf ein Thema.</p>"
                "<p>Oben gibt es auch ein Such-Feld.<br/>"
                "Dort schreiben Sie ein Wort.<br/>"
                "Zum Beispiel: Ausbildung.</p>"
            ),
            _heading("Wie erreiche ich Sie?"),
            _text(
                "<p>[Bitte ergänzen: Telefon-Nummer und E-Mail-Adresse. "
                "Und wann man Sie erreichen kann.]</p>"
            ),
        ],
    }


TEMPLATES = {
    "ImprintPage": imprint,
    "PrivacyPage": privacy,
    "AccessibilityStatementPage": accessibility_statement,
}
