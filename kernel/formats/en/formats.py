# One date and time format for English everywhere (pages, emails, PDFs): "5 December 2026",
# "14:30". Django's own English default ("Dec. 5, 2026") is US-only and was mixed with others.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
