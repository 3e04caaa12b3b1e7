"""MedShare Desktop: review, consent-check and schedule re-shares of staff social posts."""

__version__ = "0.1.0"
