"""A record field's value as text, with indicators decoded, for terminals and CSV."""

from datetime import date
from typing import Any

from db import codebook
from db.codebook import FIELD_TABLES, Decoded


def plain(value: Any) -> str:
    """The value as CMS stated it: lists joined with ', ', dates YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def codes_of(value: Any) -> list[str]:
    """A single or repeating field's codes as a list; empty for no value."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [str(value)]


def decoded(field: str, value: Any) -> list[Decoded]:
    """Each code of an indicator field with its meaning; [] for other fields."""
    table = FIELD_TABLES.get(field)
    if table is None:
        return []
    return [codebook.decode(table, code) for code in codes_of(value)]


def meaning(entry: Decoded) -> str:
    """'13 — Price established by carriers (...) [Linked To The ...]'."""
    if not entry.known:
        return f"{entry.code} — not listed in the CMS record layout"
    text = f"{entry.code} — {entry.description}"
    return f"{text} [{entry.group}]" if entry.group else text


def readable(field: str, value: Any) -> list[str]:
    """One line per code for indicator fields, else the plain value; [] if empty."""
    if field in FIELD_TABLES:
        return [meaning(entry) for entry in decoded(field, value)]
    text = plain(value)
    return [text] if text else []


def action_meaning(action_code: str | None) -> str:
    entry = codebook.decode(codebook.ACTION, action_code)
    return meaning(entry) if entry else ""
