"""Date formats in each language of the site (settings.FORMAT_MODULE_PATH), where Django's
own differ from how the site writes dates: "31 January 2027" in English (Django: "Jan. 31,
2027"), and a comma before the time in every language. Templates and code name them
(`|date:"DATE_FORMAT"`, `date_format(value, "DATETIME_FORMAT")`) rather than write a
pattern, which would read "31 enero 2027" in Spanish."""
