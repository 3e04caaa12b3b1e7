"""The Settings screen: cadence rules, the team's own risk terms, where data and logs live."""
