"""StreamField blocks for case studies."""

from django.utils.translation import gettext, gettext_noop
from wagtail import blocks

from exchange.core.blocks import MarkdownBlock, QuoteBlock


class SectionKind:
    """The parts every case study tells, in reading order (DESIGN §3)."""

    CONTEXT = "context"
    ACTION = "action"
    RESULTS = "results"
    OBSTACLES = "obstacles"
    LESSONS = "lessons"
    PEOPLE = "people"

    CHOICES = [
        (CONTEXT, gettext_noop("Context")),
        (ACTION, gettext_noop("What was done")),
        (RESULTS, gettext_noop("Results")),
        (OBSTACLES, gettext_noop("Obstacles and how they were overcome")),
        (LESSONS, gettext_noop("Lessons for peers")),
        (PEOPLE, gettext_noop("People and institutions")),
    ]
    HEADINGS = dict(CHOICES)
    BY_HEADING = {heading.lower(): kind for kind, heading in CHOICES}


class CaseStudySectionBlock(blocks.StructBlock):
    """One structured part of the story, written in Markdown."""

    kind = blocks.ChoiceBlock(choices=SectionKind.CHOICES, default=SectionKind.CONTEXT)
    text = MarkdownBlock()

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        heading = SectionKind.HEADINGS.get(value["kind"], "")
        # Said in the reader's language; the English heading is the key (BY_HEADING).
        context["heading"] = gettext(heading) if heading else ""
        return context

    class Meta:
        icon = "doc-full"
        template = "blocks/case_study_section_block.html"
        description = "A structured part of the story: context, what was done, results…"
        label_format = "{kind}"


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(max_length=40, help_text="e.g. '95th' or '17'")
    label = blocks.CharBlock(max_length=200, help_text="What the figure measures, with its year.")

    class Meta:
        icon = "order"
        template = "blocks/key_figure_block.html"
        description = "A headline result with a figure"


class SourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=300)
    publisher = blocks.CharBlock(max_length=200, required=False)
    year = blocks.IntegerBlock(required=False, min_value=1900, max_value=2100)
    url = blocks.URLBlock(required=False)

    class Meta:
        icon = "link"
        template = "blocks/source_block.html"
        description = "A public source this case study relies on"


class CaseStudyBodyBlock(blocks.StreamBlock):
    section = CaseStudySectionBlock()
    markdown = MarkdownBlock()
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3"])
    quote = QuoteBlock()
