"""sp-tui: quarterly performance management for a Supporting People team."""

__version__ = "0.1.0"


def _import_sqlite_utils_without_numpy() -> None:
    """sqlite-utils imports numpy and pandas when they are installed (matplotlib brings numpy),
    only to store their scalar types, which sp-tui never writes: a tenth of a second of every
    start. Import it first with both hidden; they import normally afterwards."""
    import sys

    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # import fails: "not installed"
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]


_import_sqlite_utils_without_numpy()
