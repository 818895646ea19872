"""Sparring's dates in English, British style (docs/glossary.md, "Dates, times and weeks"):
day before month, 24-hour clock. Numbers and input formats come from Django's English."""

DATE_FORMAT = "j F Y"  # 2 December 2026
SHORT_DATE_FORMAT = "j M Y"  # 2 Dec 2026, in charts and tables where space is short
TIME_FORMAT = "H:i"  # 14:05
DATETIME_FORMAT = "j M Y, H:i"  # 2 Dec 2026, 14:05
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
