"""``tarjama serve``: an HTTP server over the Python API.

``settings`` (what the server is told), ``service`` (the loaded translator and its glossary),
``batching`` (the cross-request queue), ``limits`` (the body size limit), ``documents``
(uploaded files), ``app`` (routes: the page, ``/health``, ``/v1``), ``libretranslate``
(LibreTranslate's routes), ``run`` (uvicorn), ``page/`` (the web page).
Needs the ``serve`` extra: ``pip install -e ".[serve]"`` in a clone of tarjama.
"""
