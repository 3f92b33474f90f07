"""The bottom layer: what every app shares, importing no app.

Markdown and its block, page visibility, rate limits, mail, PDFs, reference names,
languages, the page cache and the importer framework. The apps (casestudies,
learning, search) import from here; the rest of `site/` (models, URLs, the page
tree, settings) is the top layer that imports the apps. docs/architecture.md.
"""
