"""StreamField blocks shared by the network site and the microsites."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading; h2 or h3 so that the page's outline stays in order."""

    text = blocks.CharBlock(label=_("Überschrift"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Ebene"), choices=[("h2", "H2"), ("h3", "H3")], default="h2", required=True
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Überschrift")
        description = _("Zwischenüberschrift (H2 oder H3)")
        preview_value = {"text": "Lokale Verantwortungsgemeinschaft", "level": "h2"}


class ImageBlock(blocks.StructBlock):
    """An image with a caption; the alternative text is required for screen readers."""

    image = ImageChooserBlock(label=_("Bild"))
    alt_text = blocks.CharBlock(
        label=_("Alternativtext"),
        max_length=250,
        help_text=_("Beschreibt das Bild für Menschen, die es nicht sehen können."),
    )
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("Bild")
        description = _("Bild mit Alternativtext und Bildunterschrift")


class QuoteBlock(blocks.StructBlock):
    """A quotation with its source."""

    text = blocks.TextBlock(label=_("Zitat"))
    attribution = blocks.CharBlock(label=_("Quelle"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Zitat")
        description = _("Zitat mit Quellenangabe")
        preview_value = {
            "text": "Niemanden zurücklassen – das ist unsere gemeinsame Aufgabe vor Ort.",
            "attribution": "Weinheimer Erklärung",
        }


class DocumentListBlock(blocks.StructBlock):
    """Downloads, each shown with its file type and size."""

    title = blocks.CharBlock(label=_("Titel"), required=False, max_length=200)
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("Dokument")), label=_("Dokumente"))

    class Meta:
        icon = "doc-full"
        template = "blocks/document_list_block.html"
        label = _("Dokumente")
        description = _("Liste von Dokumenten zum Herunterladen")


class LinkBlock(blocks.StructBlock):
    """A link to a page of this site or to an external address."""

    label = blocks.CharBlock(label=_("Text"), max_length=200)
    page = blocks.PageChooserBlock(label=_("Seite"), required=False)
    url = blocks.URLBlock(label=_("Adresse"), required=False)

    class Meta:
        icon = "link"
        template = "blocks/link_block.html"
        label = _("Link")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Bitte entweder eine Seite oder eine Adresse angeben.")
                    )
                }
            )
        return value


class LinkListBlock(blocks.StructBlock):
    """A titled list of links (further information, partners, …)."""

    title = blocks.CharBlock(label=_("Titel"), required=False, max_length=200)
    links = blocks.ListBlock(LinkBlock(), label=_("Links"))

    class Meta:
        icon = "list-ul"
        template = "blocks/link_list_block.html"
        label = _("Linkliste")
        description = _("Liste weiterführender Links")


class CallToActionBlock(blocks.StructBlock):
    """A highlighted box that asks the reader to do one thing."""

    title = blocks.CharBlock(label=_("Titel"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), required=False)
    link = LinkBlock(label=_("Schaltfläche"))

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        label = _("Handlungsaufforderung")
        description = _("Hervorgehobener Kasten mit einer Schaltfläche")


class AgendaItemBlock(blocks.StructBlock):
    start = blocks.TimeBlock(label=_("Beginn"), required=False)
    end = blocks.TimeBlock(label=_("Ende"), required=False)
    title = blocks.CharBlock(label=_("Programmpunkt"), max_length=250)
    description = blocks.RichTextBlock(
        label=_("Beschreibung"), required=False, features=["bold", "italic", "link", "ul"]
    )

    class Meta:
        icon = "time"
        label = _("Programmpunkt")


class AgendaDayBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("Datum"), required=False)
    title = blocks.CharBlock(label=_("Titel des Tages"), required=False, max_length=250)
    items = blocks.ListBlock(AgendaItemBlock(), label=_("Programmpunkte"))

    class Meta:
        icon = "date"
        # with a context: Wagtail's German catalogue translates a bare "Tag" as a keyword
        label = pgettext_lazy("Programm", "Tag")


class AgendaBlock(blocks.StructBlock):
    """A programme of one or more days with time slots (seed 001)."""

    title = blocks.CharBlock(
        label=_("Titel"), required=False, max_length=200, default=_("Programm")
    )
    days = blocks.ListBlock(AgendaDayBlock(), label=_("Tage"))

    class Meta:
        icon = "calendar-alt"
        template = "blocks/agenda_block.html"
        label = _("Programm")
        description = _("Ablauf mit Tagen und Zeitfenstern")


class ContactCardBlock(blocks.StructBlock):
    """A person to contact, with role and ways to reach them."""

    name = blocks.CharBlock(label=_("Name"), max_length=200)
    role = blocks.CharBlock(label=_("Funktion"), required=False, max_length=200)
    organisation = blocks.CharBlock(label=_("Organisation"), required=False, max_length=200)
    phone = blocks.CharBlock(label=_("Telefon"), required=False, max_length=50)
    email = blocks.EmailBlock(label=_("E-Mail"), required=False)
    address = blocks.TextBlock(label=_("Anschrift"), required=False)

    class Meta:
        icon = "user"
        template = "blocks/contact_card_block.html"
        label = _("Kontakt")
        description = _("Kontaktperson mit Funktion, Telefon, E-Mail und Anschrift")
        preview_value = {
            "name": "Peter Dohse",
            "role": "Koordinierung",
            "organisation": "Landeshauptstadt Kiel",
            "email": "peter.dohse@kiel.de",
        }


class BodyBlock(blocks.StreamBlock):
    """Everything an editor can put into a page body."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        icon="pilcrow",
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock()
    quote = QuoteBlock()
    documents = DocumentListBlock()
    links = LinkListBlock()
    call_to_action = CallToActionBlock()
    agenda = AgendaBlock()
    contact = ContactCardBlock()

    class Meta:
        label = _("Inhalt")


class FactBlock(blocks.StructBlock):
    """One key fact of a member profile ("Einwohner: 62.000")."""

    label = blocks.CharBlock(label=_("Bezeichnung"), max_length=100)
    value = blocks.CharBlock(label=_("Wert"), max_length=250)

    class Meta:
        icon = "list-ul"
        label = _("Eckdatum")
