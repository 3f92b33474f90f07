"""`make bench`: search, matching and page throughput on synthetic data (DESIGN §6).

The package holds the parts; `manage.py bench` (search/management/commands/bench.py)
runs them in order:

- `safety`: the benchmark writes synthetic data, so it refuses any database but a
  throw-away one;
- `data`: the real themes, countries and IRM commitments (so the goal reader is trained
  as in production), 200 clearly synthetic countries and 10,000 clearly synthetic
  documents, and the search and matching workloads;
- `searching`: search and matching through the site's own service functions, on the
  embedded backend and on Elasticsearch played by osmem (`elastic`), with the process
  pinned to one CPU (`measure`);
- `pages`: a throw-away copy of the demo site under gunicorn with production settings,
  uncached and cached, side by side with a bare Django view (`bare_settings`, `urls`:
  no middleware, no apps) served by the same gunicorn command; every page's rate is
  reported as a ratio to the bare view's, measured in the same run (`load` drives them);
- `report`: the table `make bench` prints.

Nothing here touches models at import time: gunicorn imports `urls` and `bare_settings`
without the project's settings.
"""
