"""HTTP API v1 (CONTRACT.md): thin django-ninja endpoints over services and selectors."""
