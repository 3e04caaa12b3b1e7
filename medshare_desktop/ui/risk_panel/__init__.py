"""The inline risk panel: highlighted spans, findings grouped by category, resolutions."""
