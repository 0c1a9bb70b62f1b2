"""The area screens. Which screens exist, their keys and titles: ``sp_tui.tui.areas``."""
