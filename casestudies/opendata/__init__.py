"""Open data: the site's reference data and evidence as CSV and JSON files at `/data/`.

`datasets` says what each file holds, where it comes from and under which licence;
`formats` writes rows as streamed CSV or JSON; `views` serves them and the `/data/` page.
"""
