"""Importing courses written as YAML files, one course per file (docs/course-format.md).

`parse_folder` (parsing.py, with lesson_body.py for lesson bodies) validates every file
first and reports each problem as `file:line: reason`: if any file is bad, no page is
created or changed. `import_courses` (writing.py) then creates or revises the pages,
keeping the quiz block ids that learners' attempts point at (block_ids.py).
"""

from learning.course_import.parsing import CourseDraft, parse_folder
from learning.course_import.writing import import_courses

__all__ = ["CourseDraft", "import_courses", "parse_folder"]
