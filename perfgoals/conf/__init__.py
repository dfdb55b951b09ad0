"""Presets shipped with perfgoals (``default.yaml``: the rules' default levels)."""
