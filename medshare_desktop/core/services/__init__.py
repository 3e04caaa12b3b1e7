"""Use cases. Each public method is one transaction and writes its audit events inside it."""
