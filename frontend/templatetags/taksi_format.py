"""Template filters for ``frontend.formatting``: ``{{ project.budget|rupiah }}``."""

from __future__ import annotations

from django import template

from frontend import formatting

register = template.Library()

register.filter("rupiah", formatting.rupiah)
register.filter("percent", formatting.percent)
register.filter("decimal", formatting.decimal)
register.filter("long_date", formatting.long_date)
