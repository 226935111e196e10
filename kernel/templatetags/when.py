"""``{% load when %}``: ``{{ value|day }}``, ``{{ value|when }}``, ``{{ value|time_of_day }}``
(see ``kernel/when.py``): every date a person reads, in their zone and language."""
from django import template

from kernel.when import day_text, time_text, when_text

register = template.Library()

register.filter("day", day_text)
register.filter("when", when_text)
register.filter("time_of_day", time_text)
