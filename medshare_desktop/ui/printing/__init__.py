"""Printing the re-share calendar: a pure renderer (month_renderer) and the devices it paints on (export).

Qt painting code (QtGui/QtPrintSupport), used by the calendar screen and by `medshare calendar --pdf`;
it never touches storage: it receives a MonthSchedule.
"""
