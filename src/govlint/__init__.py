"""govlint: a quality linter for Chinese government reports."""

__version__ = "0.1.0"

__all__ = ["__version__"]
