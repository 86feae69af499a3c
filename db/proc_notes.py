"""Read CMS's processing notes file (`proc_notes_YYYY.txt`) into note texts."""

import re

# A note starts with its four-digit number and "--"; indentation is spaces in
# the older notes and tabs in the newer ones.
_NOTE_START = re.compile(r"^\s*(\d{4})--(.*)$")
# The right-hand margin of `*` CMS draws down the page, with the tabs and spaces
# around it; some lines lack it, some have it mid-line before padding.
_MARGIN = re.compile(r"\s*\*\s*$")
_WHITESPACE = re.compile(r"\s+")


def parse_processing_notes(text: str) -> dict[str, str]:
    """Map each note number ("0002") to its text, wrapped lines joined."""
    lines_by_number: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        line = _MARGIN.sub("", line)
        start = _NOTE_START.match(line)
        if start:
            number, line = start.groups()
            current = lines_by_number.setdefault(number, [])
        # Lines before the first note are the title and its rule.
        if current is not None:
            current.append(line)

    return {
        number: _WHITESPACE.sub(" ", " ".join(lines)).strip()
        for number, lines in lines_by_number.items()
    }
