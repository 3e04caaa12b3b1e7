"""Widgets and helpers shared by the screens: background workers, error dialogs."""
