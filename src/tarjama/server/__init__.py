"""``tarjama serve``: an HTTP server over the Python API.

``settings`` (what the server is told), ``service`` (the loaded translator and its glossary,
kept at the last good state when a file breaks), ``queue`` (the cross-request queue: pieces
of every request, round-robin per client), ``work`` (what routes share: translating through
the queue, blocking work in a thread), ``limits`` (the body size limit), ``errors``,
``documents`` (uploaded files), ``app`` (wiring the routers), ``page`` (the web page and
``/health``), ``libretranslate`` (LibreTranslate's routes), ``files`` (document uploads and
downloads), ``v1`` (tarjama's own API), ``run`` (uvicorn), ``page/`` (the page's files).
Needs the ``serve`` extra: ``pip install -e ".[serve]"`` in a clone of tarjama.
"""
