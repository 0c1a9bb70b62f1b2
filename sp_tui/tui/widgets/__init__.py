"""Reusable widgets: record table, confirmation, form fields."""
