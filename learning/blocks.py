"""StreamField blocks for lessons.

Raw values (what importers write into `LessonPage.body`):

- `markdown`: a string of Markdown
- `video`: {"url": "https://…", "title": "…", "transcript": "Markdown"}
- `case_study`: the id of a CaseStudyPage
- `takeaway`: {"text": "…"}
- `peers`: {"theme": "<theme slug>", "goal": "optional free text"}
- `quiz`: {"title": "…", "pass_mark": 70, "questions": [
      {"text": "…", "kind": "single" | "multiple",
       "choices": [{"text": "…", "correct": true, "explanation": "optional"}, …],
       "explanation": "…"}, …]}

A quiz is identified by its StreamField block id, which Wagtail keeps across
edits, so attempts stay attached to it when an editor fixes a typo. Questions
and choices are addressed by their position (0-based) inside the quiz.
"""

from django.core.exceptions import ValidationError
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from casestudies.models import CaseStudyPage
from exchange.core.blocks import MarkdownBlock


class VideoBlock(blocks.StructBlock):
    """A link to a video with its transcript: no iframe, no third-party asset on our pages."""

    url = blocks.URLBlock(help_text="Where the video is hosted; readers follow a link to it.")
    title = blocks.CharBlock(max_length=200)
    transcript = MarkdownBlock(
        required=False, help_text="The full transcript, for readers who cannot play video."
    )

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        description = "A link to a video, with its transcript"
        preview_value = {
            "url": "https://example.org/video",
            "title": "How Kenya's RTI law was won",
            "transcript": "Civil society groups met the committee…",
        }


class CaseStudyCardBlock(blocks.PageChooserBlock):
    """A live card for a published case study (nothing is shown if it is unpublished)."""

    def __init__(self, **kwargs):
        super().__init__(page_type="casestudies.CaseStudyPage", **kwargs)

    def bulk_to_python(self, values):
        # Cards show the country and themes: fetch them with the pages, not per card.
        pages = (
            CaseStudyPage.objects.live()
            .select_related("country")
            .prefetch_related("themes")
            .in_bulk([value for value in values if value])
        )
        return [pages.get(value) for value in values]

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs.pop("page_type", None)
        return path, args, kwargs

    class Meta:
        icon = "doc-full"
        template = "blocks/case_study_card_block.html"
        description = "A card linking to a published case study"


class KeyTakeawayBlock(blocks.StructBlock):
    text = blocks.TextBlock(help_text="One sentence a learner should remember.")

    class Meta:
        icon = "pick"
        template = "blocks/key_takeaway_block.html"
        description = "A key takeaway, highlighted"
        preview_value = {"text": "Co-creation works when civil society sets part of the agenda."}


class PeersPanelBlock(blocks.StructBlock):
    theme = blocks.CharBlock(max_length=100, help_text="Theme slug, e.g. 'beneficial-ownership'.")
    goal = blocks.CharBlock(
        max_length=200, required=False, help_text="Optional reform goal to search peers for."
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        params = {"theme": value["theme"]}
        if value.get("goal"):
            params["q"] = value["goal"]
        context["peers_url"] = "/peers/?" + urlencode(params)
        return context

    class Meta:
        icon = "group"
        template = "blocks/peers_panel_block.html"
        description = "A link to the countries that did this reform"
        preview_value = {"theme": "beneficial-ownership", "goal": "public register"}


class QuizChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)
    explanation = blocks.TextBlock(
        required=False,
        help_text=_(
            "Optional: why this choice is right or wrong. A learner who picks a wrong choice "
            "reads this before passing; the right answers stay hidden until they pass."
        ),
    )

    class Meta:
        icon = "tick"
        label_format = "{text}"


class QuizQuestionBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    kind = blocks.ChoiceBlock(
        choices=[("single", "One answer"), ("multiple", "Several answers")], default="single"
    )
    choices = blocks.ListBlock(QuizChoiceBlock(), min_num=2)
    explanation = blocks.TextBlock(
        help_text=_(
            "Why the right answer is right: shown to learners who answered it right, and "
            "to everyone once they have passed the quiz."
        )
    )

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if correct == 0:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError("Mark at least one choice as correct.")}
            )
        if value["kind"] == "single" and correct > 1:
            raise StructBlockValidationError(
                block_errors={
                    "kind": ValidationError("A one-answer question has exactly one correct choice.")
                }
            )
        return value

    class Meta:
        icon = "help"
        label_format = "{text}"


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, default="Check your understanding")
    pass_mark = blocks.IntegerBlock(
        min_value=1, max_value=100, default=70, help_text="Percentage of right answers to pass."
    )
    questions = blocks.ListBlock(QuizQuestionBlock(), min_num=1)

    class Meta:
        icon = "form"
        template = "blocks/quiz_block.html"
        description = "A quiz with one-answer and several-answer questions"


class LessonBodyBlock(blocks.StreamBlock):
    markdown = MarkdownBlock()
    video = VideoBlock()
    case_study = CaseStudyCardBlock()
    takeaway = KeyTakeawayBlock()
    peers = PeersPanelBlock()
    quiz = QuizBlock()
