"""One function per user action: validate, write in one transaction, append the audit row.

The TUI and the CLI both call these; neither writes SQL of its own.
"""
