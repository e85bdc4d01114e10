"""HTTP API v1 (CONTRACT.md): thin django-ninja endpoints over services and selectors.

- ``main``: the API object — authentication (``auth``), the JSON refusals (``errors``) and the
  routers of each area, in the order the documentation shows them;
- ``complaints``, ``messages``, ``calendar``, ``wording``: the endpoints (one router each);
- ``schemas``: every body a client sends and every answer, one module per area;
- ``helpers``: what the endpoints share — reading input, writing a complaint or a message.

No module imports another's private (``_``) names (``tests/api/test_structure.py``).
"""
