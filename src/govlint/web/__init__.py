"""``govlint web``: the reviewer's workbench in the browser (Starlette; see ``app.py``)."""
