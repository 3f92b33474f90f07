"""A lesson's body blocks, checked and turned into the raw values LessonBodyBlock stores
(see learning/blocks.py): Markdown, takeaways, case studies, peers panels, videos, quizzes.
"""

from exchange.core.importing.checks import LineChecker
from exchange.core.importing.yaml_lines import Mapping
from learning.blocks import (
    LessonBodyBlock,
    PeersPanelBlock,
    QuizBlock,
    QuizChoiceBlock,
    VideoBlock,
)

BLOCK_TYPES = list(LessonBodyBlock.base_blocks)
VIDEO_KEYS = {"url", "title", "transcript"}
PEERS_KEYS = {"theme", "goal"}
QUIZ_KEYS = {"title", "pass_mark", "questions"}
QUESTION_KEYS = {"text", "kind", "choices", "explanation"}
CHOICE_KEYS = {"text", "correct", "explanation"}
QUESTION_KINDS = ("single", "multiple")
DEFAULT_QUIZ_TITLE = QuizBlock.base_blocks["title"].meta.default


def _max_length(struct, name: str) -> int | None:
    return getattr(struct.base_blocks[name].field, "max_length", None)


class LessonBodyParser:
    """Reads body blocks, reporting through the file's `check`; `themes` and `case_studies`
    map slugs to what a block may refer to."""

    def __init__(self, check: LineChecker, themes: dict, case_studies: dict):
        self.check = check
        self.themes = themes
        self.case_studies = case_studies

    def block(self, block: Mapping, line: int) -> tuple[str, object] | None:
        for key, key_line in block.duplicates:
            self.check.fail(key_line, f"duplicate key '{key}' in a body block")
        if len(block) != 1:
            self.check.fail(
                line,
                "each body block has exactly one key, its type: "
                f"{', '.join(BLOCK_TYPES)} (found: {', '.join(map(str, block)) or 'none'})",
            )
            return None
        ((kind, value),) = block.items()
        if kind not in BLOCK_TYPES:
            self.check.fail(
                line, f"unknown block type '{kind}' (expected: {', '.join(BLOCK_TYPES)})"
            )
            return None
        return getattr(self, f"block_{kind}")(block, value, line)

    def required_text(self, block: Mapping, kind: str, line: int) -> str | None:
        value = block[kind]
        if value is None or (isinstance(value, str) and not value.strip()):
            self.check.fail(line, f"'{kind}' block is empty")
            return None
        return self.check.text(block, kind) or None  # `text` reports a list or mapping

    def block_markdown(self, block, value, line):
        text = self.required_text(block, "markdown", line)
        return ("markdown", text) if text else None

    def block_takeaway(self, block, value, line):
        text = self.required_text(block, "takeaway", line)
        return ("takeaway", {"text": text}) if text else None

    def block_case_study(self, block, value, line):
        slug = self.required_text(block, "case_study", line)
        if slug is None:
            return None
        page_id = self.case_studies.get(slug)
        if page_id is None:
            self.check.fail(line, f"unknown case study {slug!r} (the slug of a case study page)")
            return None
        return "case_study", page_id

    def block_peers(self, block, value, line):
        if isinstance(value, str):
            value = Mapping()
            value.update(theme=block["peers"])
            value.line = line
        if not isinstance(value, Mapping):
            self.check.fail(line, "'peers' must be a theme slug or a mapping with theme and goal")
            return None
        self.check.keys(value, PEERS_KEYS, "the peers block", required=("theme",))
        theme = self.check.text(value, "theme", max_length=_max_length(PeersPanelBlock, "theme"))
        goal = self.check.text(value, "goal", max_length=_max_length(PeersPanelBlock, "goal"))
        if theme and theme not in self.themes:
            self.check.fail(
                self.check.line(value, "theme"), f"unknown theme {theme!r} in the peers block"
            )
        return "peers", {"theme": theme, "goal": goal}

    def block_video(self, block, value, line):
        if not isinstance(value, Mapping):
            self.check.fail(line, "'video' must be a mapping with url, title and transcript")
            return None
        self.check.keys(value, VIDEO_KEYS, "the video block", required=("url", "title"))
        url = self.check.text(value, "url", max_length=_max_length(VideoBlock, "url"))
        if url and not url.startswith(("https://", "http://")):
            self.check.fail(
                self.check.line(value, "url"), f"video url {url!r} is not a web address"
            )
        title = self.check.text(value, "title", max_length=_max_length(VideoBlock, "title"))
        return "video", {
            "url": url,
            "title": title,
            "transcript": self.check.text(value, "transcript"),
        }

    def block_quiz(self, block, value, line):
        if not isinstance(value, Mapping):
            self.check.fail(line, "'quiz' must be a mapping with title, pass_mark and questions")
            return None
        self.check.keys(value, QUIZ_KEYS, "the quiz", required=("questions",))
        title = self.check.text(
            value, "title", max_length=_max_length(QuizBlock, "title"), default=DEFAULT_QUIZ_TITLE
        )
        pass_mark = self.check.integer(value, "pass_mark", low=1, high=100, default=70)
        questions = [
            self.question(question)
            for _line, question in self.check.items(value, "questions", of=Mapping)
        ]
        return "quiz", {"title": title, "pass_mark": pass_mark, "questions": questions}

    def question(self, data: Mapping) -> dict:
        self.check.keys(
            data, QUESTION_KEYS, "a question", required=("text", "choices", "explanation")
        )
        kind = self.check.text(data, "kind", default="single")
        if kind not in QUESTION_KINDS:
            self.check.fail(
                self.check.line(data, "kind"),
                f"question kind must be single or multiple, not {kind!r}",
            )
        choices = []
        for _line, choice in self.check.items(data, "choices", of=Mapping):
            self.check.keys(choice, CHOICE_KEYS, "a choice", required=("text",))
            correct = self.check.boolean(choice, "correct")
            text = self.check.text(choice, "text", max_length=_max_length(QuizChoiceBlock, "text"))
            explanation = self.check.text(choice, "explanation")
            choices.append({"text": text, "correct": correct, "explanation": explanation})
        if "choices" in data and len(choices) < 2:
            self.check.fail(
                self.check.line(data, "choices"), "a question needs at least two choices"
            )
        right = sum(1 for choice in choices if choice["correct"] is True)
        if choices and right == 0:
            self.check.fail(self.check.line(data, "choices"), "no choice is marked 'correct: true'")
        elif kind == "single" and right > 1:
            self.check.fail(
                self.check.line(data, "choices"),
                f"a single-choice question needs exactly one correct choice, not {right}",
            )
        return {
            "text": self.check.text(data, "text"),
            "kind": kind,
            "choices": choices,
            "explanation": self.check.text(data, "explanation"),
        }
