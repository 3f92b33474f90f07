"""The fragment a search hit shows of a long text (search.backends.fragments): the stretch
with the most distinct matched terms, a few words of context before it, its marks balanced,
an ellipsis where the text goes on."""

import re

from search.backends.fragments import best_fragment

S, E = "\x02", "\x03"


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def test_the_stretch_with_most_distinct_terms_wins_over_an_earlier_one():
    text = (
        f"An early {S}register{E} is mentioned once. "
        + "Unrelated words follow here. " * 20
        + f"Later the {S}beneficial ownership{E} {S}register{E} opened to {S}journalists{E}. "
        + "More unrelated words. " * 20
    )

    fragment = best_fragment(text, 28)

    assert f"{S}beneficial ownership{E}" in fragment and f"{S}journalists{E}" in fragment
    assert "early" not in fragment


def test_a_fragment_has_context_before_its_first_match_and_ellipses_where_the_text_goes_on():
    text = "One two three four five six seven eight nine ten " + f"{S}match{E} " + "tail " * 60

    fragment = best_fragment(text, 28)

    assert fragment.startswith("…") and fragment.endswith("…")
    assert "seven eight nine ten \x02match\x03" in fragment
    assert words(fragment) <= 28


def test_a_short_text_is_shown_whole_without_ellipses():
    assert best_fragment(f"{S}Access{E} to records", 28) == f"{S}Access{E} to records"


def test_a_cut_running_into_a_marked_phrase_shows_the_phrase_whole():
    text = "a b c d e f " + f"{S}freedom of information act{E}" + " k l m " * 20

    fragment = best_fragment(text, 3)

    assert f"{S}freedom of information act{E}" in fragment
    assert fragment.count(S) == fragment.count(E) == 1


def test_a_text_without_marks_has_no_fragment():
    assert best_fragment("Nothing matched in this text.", 28) == ""
    assert best_fragment("", 28) == ""


def test_a_long_text_full_of_matches_still_gives_a_short_fragment():
    text = " ".join(f"{S}FOI{E} request number {n} was answered late." for n in range(300))

    fragment = best_fragment(text, 28)

    assert words(fragment) <= 28
    assert fragment.count(S) == fragment.count(E) >= 1
