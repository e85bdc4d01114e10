"""The pure domain core: the procedure\x27s rules without Django (ARCHITECTURE.md)."""
