"""Subcommands beyond check/rules/explain; each module defines register(app)."""
