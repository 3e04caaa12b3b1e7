"""The consent register screen: statuses at a glance, records with evidence, revocations, reminders."""
