"""sp-tui: quarterly performance management for a Supporting People team."""

__version__ = "0.1.0"
