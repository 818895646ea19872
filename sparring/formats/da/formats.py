"""Sparring's dates in Danish (docs/glossary.md, "Dates, times and weeks"): one format for a
date and one for a date with time, whichever of Django's names a template uses. What is not
set here (numbers, input formats) comes from Django's Danish formats: 3,5 and 25.000."""

DATE_FORMAT = "j. F Y"  # 2. december 2026
SHORT_DATE_FORMAT = "j. N Y"  # 2. dec. 2026, in charts and tables where space is short
TIME_FORMAT = "H.i"  # 14.05
DATETIME_FORMAT = r"j. N Y \k\l. H.i"  # 2. dec. 2026 kl. 14.05
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
