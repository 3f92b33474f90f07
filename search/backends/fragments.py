"""The fragment of a long text that a search hit shows, cut from the text with its matches marked.

SQLite's FTS5 `snippet()` compares each match in a text with every other to choose its
fragment: on a 28 KB commitment with 194 matches it cost 2.3 ms, and the body snippets were
a third of the search page's time ("access to information": 3.9 ms for 20 hits). Its
`highlight()` marks every match in one pass (1.7 ms with the summaries' snippets); the
fragment is then chosen here, from the marks alone, in one pass over them:

- the window of about `tokens` words (reckoned in characters from the marks' positions)
  holding the most distinct matched terms, the earliest of equals (FTS5 scores the same),
  among the first MAX_MARKS matches;
- cut at word boundaries, a few words before the first match it holds (more where the text
  ends sooner), `tokens` words long;
- with an ellipsis where the text goes on, and its marks balanced (a mark the cut opens or
  closes is closed or opened at the edge).
"""

from __future__ import annotations

import re

WORD = re.compile(r"\w+", re.UNICODE)
CHARACTERS_PER_WORD = 7  # a word and the space after it, in English, French and Spanish
LEAD_WORDS = 4  # context shown before the first match
# Matches read: a text can hold hundreds ("FOI" 194 times in one commitment); the densest
# window among the first ones is as telling, and found in a fraction of the time.
MAX_MARKS = 50


def best_fragment(
    text: str, tokens: int, start: str = "\x02", end: str = "\x03", ellipsis: str = "…"
) -> str:
    """The fragment of `text` (matches between `start` and `end`, one character each) with
    the most distinct matched terms, about `tokens` words long; "" when nothing in `text` is
    marked."""
    marks = _marks(text, start, end)
    if not marks:
        return ""
    span = tokens * CHARACTERS_PER_WORD
    at = marks[_densest(marks, span)][0]
    # The words around the window, found in a stretch of the text, not the whole of it:
    # enough before it to fill the window where the text ends soon after.
    region_start = max(0, at - span)
    region = text[region_start : at + 2 * span]
    words = [match.span() for match in WORD.finditer(region)]
    if not words:
        return ""
    first_match = next(
        (n for n, (word_start, _) in enumerate(words) if region_start + word_start > at),
        len(words) - 1,
    )
    # A few words before the match, or more where the text ends before the window would.
    first = max(0, min(first_match - min(LEAD_WORDS, tokens // 3), len(words) - tokens))
    last = min(len(words), first + tokens) - 1
    # From the text's first character, or to its last, when the cut reaches its first or
    # last word: punctuation there ("«", a closing quote) is the text's.
    at_start = region_start == 0 and first == 0
    at_end = region_start + len(region) == len(text) and last == len(words) - 1
    cut_start = 0 if at_start else region_start + words[first][0]
    cut_end = len(text) if at_end else region_start + words[last][1]
    # A marked phrase the cut runs into is shown whole ("Freedom of Information", not
    # "Freedom of"); one the cut starts in, from its first word.
    opened = text.rfind(start, 0, cut_end)
    if opened >= 0 and text.find(end, opened) >= cut_end:
        cut_end = text.find(end, opened) + len(end)
    opened = text.rfind(start, 0, cut_start + 1)
    if opened >= 0 and text.find(end, opened) >= cut_start:
        cut_start = opened
    fragment = _balanced(text[cut_start:cut_end], start, end)
    before = ellipsis if WORD.search(text, 0, cut_start) else ""
    after = ellipsis if WORD.search(text, cut_end) else ""
    return f"{before}{fragment}{after}"


def _marks(text: str, start: str, end: str) -> list[tuple[int, str]]:
    """(position, lower-cased term) of the first MAX_MARKS marked matches, in order."""
    marks = []
    position = text.find(start)
    while position >= 0 and len(marks) < MAX_MARKS:
        closing = text.find(end, position)
        if closing < 0:
            break
        marks.append((position, text[position + len(start) : closing].lower()))
        position = text.find(start, closing)
    return marks


def _densest(marks: list[tuple[int, str]], span: int) -> int:
    """The index of the mark that starts the window of `span` characters with the most
    distinct terms (the first of equals)."""
    every_term = len({term for _, term in marks})
    best, best_score, ahead = 0, -1, 0
    inside: dict[str, int] = {}
    for index, (position, term) in enumerate(marks):
        while ahead < len(marks) and marks[ahead][0] < position + span:
            key = marks[ahead][1]
            inside[key] = inside.get(key, 0) + 1
            ahead += 1
        if len(inside) > best_score:
            best, best_score = index, len(inside)
            if best_score == every_term:  # no later window can hold more
                break
        inside[term] -= 1
        if not inside[term]:
            del inside[term]
    return best


def _balanced(fragment: str, start: str, end: str) -> str:
    """`fragment` with a mark it closes but does not open opened at its start, and one it
    opens but does not close closed at its end (marks do not nest)."""
    first_end, first_start = fragment.find(end), fragment.find(start)
    unopened = first_end >= 0 and (first_start < 0 or first_end < first_start)
    opened = fragment.rfind(start) > fragment.rfind(end)
    return (start if unopened else "") + fragment + (end if opened else "")
