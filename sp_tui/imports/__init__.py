"""Readers for the team's CSV and xlsx files, with row-numbered errors."""
