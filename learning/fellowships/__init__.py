"""Fellowships: placements of a reformer with a host institution, and their applications.

Part of the `learning` app (its models are exported by `learning.models`): `models.py` the
pages, applications and scores; `choices.py` their statuses; `forms.py`, `filters.py`;
`serving.py` what the fellowship page shows and does (its "Apply" box and route);
`services.py` taking an application (a task) and the applicant's emails; `admin.py` the
reviewers' admin; `importer.py` the YAML importer.
"""
