"""The re-share calendar screen (month/week grid, approved posts to place, limits, printing)."""
