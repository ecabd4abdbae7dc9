"""Demo content for ``manage.py seed_demo``: the five seed pages of a real network.

``content`` holds the German texts (copied from the seed pages, without the site header
that starts each of them) and where each belongs; ``builder`` turns them into pages,
images and documents in the right schema, idempotently.
"""
