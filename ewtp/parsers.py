"""The API's JSON parser: DRF's, with nesting bounded.

JSON nested 100,000 deep made the parser recurse until Python gave up (a 500); now it is a 400,
as is anything nested deeper than `EWTP_MAX_JSON_DEPTH` (no field of the API needs more than a
few levels).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def nesting_exceeds(data: Any, limit: int) -> bool:
    """Whether lists/objects nest more than `limit` deep (iterative: no recursion of our own)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error: nested too deeply.")) from None
        if isinstance(data, (dict, list)) and nesting_exceeds(data, settings.EWTP_MAX_JSON_DEPTH):
            raise ParseError(_("JSON parse error: nested too deeply."))
        return data
