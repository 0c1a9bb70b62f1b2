"""The Textual user interface: thin screens over services and reports."""
