"""Pure policy functions (no I/O): workflow transitions, consent validity, cadence limits."""
