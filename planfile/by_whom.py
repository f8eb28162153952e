"""Splitting a plan's "By whom" cell into owner names.

Plans join owners with "/", "," and ";", yet some owners have a "/" in their name
("Medway Parent/Carer Forum"): names the area already knows are kept whole, and so is
"parent/carer", which SEND plans write for one group of people, never for two owners. Which
owner a name means (spellings, abbreviations) is the actions app's to say: this only splits.
"""

import re
from collections.abc import Iterable

from .reader import clean

OWNER_SEPARATORS = re.compile(r"[/,;]")
# "Parent/Carer Forum", "Parents/ Carers' Council": the slash is part of the name. The SEND
# Code of Practice's "parent carer" is one group; "parents and carers" is spelt with "and".
SLASHED_WORDS = re.compile(r"\bparents?\s*/\s*carers?\b", re.IGNORECASE)
# Where a known owner name is held while the rest of the cell is split.
HELD_NAME = re.compile(r"\x00(\d+)\x00")


class OwnerSplitter:
    """Splits a "By whom" cell on "/", "," and ";", keeping known names whole."""

    def __init__(self, known_owner_names: Iterable[str]):
        names = {clean(name) for name in known_owner_names}
        # Longest first, so "Medway Parent/Carer Forum" wins over "Parent/Carer Forum".
        self.protected = [
            _name_pattern(name)
            for name in sorted(names, key=len, reverse=True)
            if OWNER_SEPARATORS.search(name)
        ]
        self.protected.append(SLASHED_WORDS)

    def __call__(self, owners_text: str) -> tuple[str, ...]:
        held: list[str] = []

        def hold(match: re.Match[str]) -> str:
            held.append(match[0])
            return f"\x00{len(held) - 1}\x00"

        for pattern in self.protected:
            owners_text = pattern.sub(hold, owners_text)
        owners = []
        for part in OWNER_SEPARATORS.split(owners_text):
            name = HELD_NAME.sub(lambda placeholder: held[int(placeholder[1])], part)
            name = name.strip().rstrip(".").strip()
            if name:
                owners.append(name)
        return tuple(owners)


def _name_pattern(name: str) -> re.Pattern[str]:
    """A known name, matched case-insensitively, however its separators are spaced."""
    pieces = []
    for token in re.split(r"(\s*[/,;]\s*|\s+)", name):
        if OWNER_SEPARATORS.search(token):
            pieces.append(r"\s*" + re.escape(token.strip()) + r"\s*")
        elif token.isspace():
            pieces.append(r"\s+")
        else:
            pieces.append(re.escape(token))
    return re.compile("".join(pieces), re.IGNORECASE)
