"""Blocks shared by every page type (case studies now, lessons later)."""

from django.utils.functional import cached_property
from wagtail import blocks

from exchange.core.markdown import render_markdown


class MarkdownBlock(blocks.TextBlock):
    """Text written in Markdown, rendered and sanitised on output."""

    def render_basic(self, value, context=None):
        return render_markdown(value)

    @cached_property
    def field(self):
        field = super().field
        field.help_text = (
            field.help_text or "Markdown: **bold**, *italic*, [link](https://…), lists."
        )
        return field

    class Meta:
        icon = "code"
        template = "blocks/markdown_block.html"
        description = "Text written in Markdown"
        preview_value = "Reformers in **Kenya** used the [RTI law](https://example.org) to…"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        description = "A short quotation with its source"
