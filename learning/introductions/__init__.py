"""Peer introductions: a reformer asks the Support Unit to put them in touch with a peer
country's reformers, follows the request and rates the introduction.

Part of the `learning` app (its models are exported by `learning.models`): `models.py` the
requests and their events; `choices.py` their statuses; `forms.py`; `services.py` taking a
request (a task) and every email, the one place the views and the brokers' admin go through;
`views.py` the public request and status pages; `admin.py` the brokers' queue and the ratings
report.
"""
