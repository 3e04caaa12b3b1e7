"""File exporters (iCalendar; CSV of the consent register later). No Qt here."""
