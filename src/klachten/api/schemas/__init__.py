"""The ninja schemas of the API: every body a client sends (``…In``) and every answer
(``…Out``), one module per area, and what several areas share in ``common`` and ``errors``.

A schema's class name is its name in the OpenAPI document, so a class keeps its name when it
moves; the endpoint modules only import them.
"""
