"""Lesson bodies written by the importer keep their StreamField block ids.

Learners' quiz attempts point at a quiz's block id, so a re-imported lesson reuses the ids
of the blocks it replaces (`with_ids`) and a lesson only gets a new revision when its
blocks differ once the ids are set aside (`without_ids`).
"""

import uuid


def _unwrap(value):
    """A raw value without block ids: list items lose their {"type": "item", "id"} wrapper."""
    if isinstance(value, dict):
        if (
            value.get("type") == "item"
            and "value" in value
            and set(value) <= {"type", "value", "id"}
        ):
            return _unwrap(value["value"])
        return {key: _unwrap(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unwrap(item) for item in value]
    return value


def without_ids(raw_stream) -> list[tuple[str, object]]:
    return [(block["type"], _unwrap(block["value"])) for block in raw_stream]


def with_ids(blocks: list[tuple[str, object]], old: list[dict]) -> list[dict]:
    """Raw stream data for `blocks`, reusing the ids of the blocks they replace.

    A quiz takes the id of the old quiz with the same title, else of the old quiz
    at the same position among quizzes; other blocks take the id of the old block
    of their type at the same position. List items (questions, choices) keep
    their ids by position, so Wagtail's revision comparison stays readable.
    """
    old_by_type: dict[str, list[dict]] = {}
    for block in old:
        old_by_type.setdefault(block["type"], []).append(block)
    quiz_by_title = {}
    for block in old_by_type.get("quiz", []):
        title = _unwrap(block["value"]).get("title") if isinstance(block["value"], dict) else None
        quiz_by_title.setdefault(title, block)
    used: set[str] = set()
    seen_of_type: dict[str, int] = {}
    raw = []
    for kind, value in blocks:
        position = seen_of_type.get(kind, 0)
        seen_of_type[kind] = position + 1
        candidates = []
        if kind == "quiz":
            candidates.append(quiz_by_title.get(value["title"]))
        same_type = old_by_type.get(kind, [])
        if position < len(same_type):
            candidates.append(same_type[position])
        match = next((block for block in candidates if block and block.get("id") not in used), None)
        if match is not None and match.get("id"):
            used.add(match["id"])
            block_id = match["id"]
        else:
            block_id = str(uuid.uuid4())
        raw.append(
            {
                "type": kind,
                "value": _with_item_ids(value, match["value"] if match else None),
                "id": block_id,
            }
        )
    return raw


def _with_item_ids(value, old):
    """`value` in the ListBlock format of Wagtail, reusing the item ids of `old` by position."""
    if isinstance(value, dict):
        old = old if isinstance(old, dict) else {}
        return {key: _with_item_ids(item, old.get(key)) for key, item in value.items()}
    if isinstance(value, list):
        old = old if isinstance(old, list) else []
        items = []
        for position, item in enumerate(value):
            previous = old[position] if position < len(old) else None
            wrapped = isinstance(previous, dict) and previous.get("type") == "item"
            items.append(
                {
                    "type": "item",
                    "value": _with_item_ids(item, previous["value"] if wrapped else previous),
                    "id": previous.get("id")
                    if wrapped and previous.get("id")
                    else str(uuid.uuid4()),
                }
            )
        return items
    return value
