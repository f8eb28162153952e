"""Which owner a name in "By whom" means: spellings, abbreviations and known SEND roles."""

from difflib import SequenceMatcher

from .choices import Organisation
from .models import Owner, normalise_name

# Roles whose abbreviations and variants appear across SEND action plans. An owner created
# for any of these spellings takes the full name and keeps the others as aliases; admins
# add their own aliases in the admin.
KNOWN_ROLES: dict[str, tuple[str, list[str]]] = {
    "Designated Clinical Officer": (Organisation.ICB, ["DCO"]),
    "Principal Educational Psychologist": (Organisation.COUNCIL, ["PEP"]),
    "Head of 0-25 Integrated Service": (
        Organisation.COUNCIL,
        ["Head of 0-25 Service", "Head of Integrated 0-25 Disability Services"],
    ),
    "Medway Parents and Carers Forum": (
        Organisation.PARENT_CARER_FORUM,
        ["MPCF", "Medway Parent/Carer Forum", "Medway Parents & Carers Forum"],
    ),
    "Special Educational Needs Coordinators": (Organisation.SCHOOLS, ["SENCOs", "SENCO"]),
    "Headteachers": (Organisation.SCHOOLS, []),
}
_KNOWN_SPELLINGS = [
    spelling
    for canonical, (_, aliases) in KNOWN_ROLES.items()
    for spelling in (canonical, *aliases)
]
_KNOWN_BY_SPELLING = {
    normalise_name(spelling): canonical
    for canonical, (_, aliases) in KNOWN_ROLES.items()
    for spelling in (canonical, *aliases)
}


# How alike two spellings must be for a new owner to be flagged as maybe an existing one.
LOOKALIKE_RATIO = 0.85
# A shorter name whose words are all in a longer one ("Head of 0-25 Service" in "Head of
# 0-25 Integrated Service") looks alike only with this many words, so "Headteachers"
# does not flag every name that mentions headteachers.
LOOKALIKE_MIN_WORDS = 3


def names_look_alike(first: str, second: str) -> bool:
    """Whether two different spellings may well name one role: the same words in another
    order, one's words all within the other's, or nearly the same letters."""
    a, b = normalise_name(first), normalise_name(second)
    if a == b:
        return False
    words_a, words_b = set(a.split()), set(b.split())
    if words_a == words_b:
        return True
    shorter = min(words_a, words_b, key=len)
    if len(shorter) >= LOOKALIKE_MIN_WORDS and (words_a <= words_b or words_b <= words_a):
        return True
    return SequenceMatcher(None, a, b).ratio() >= LOOKALIKE_RATIO


def known_role_for(name: str) -> tuple[str, str, list[str]] | None:
    """(full name, organisation, aliases) when the name is a known SEND role."""
    canonical = _KNOWN_BY_SPELLING.get(normalise_name(name))
    if canonical is None:
        return None
    organisation, aliases = KNOWN_ROLES[canonical]
    return canonical, organisation, aliases


class OwnerDirectory:
    """An area's owners by every spelling, loaded once so an import does not query per name."""

    def __init__(self, area):
        self.area = area
        self._by_spelling: dict[str, Owner] = {}
        for owner in Owner.objects.filter(area=area) if area.pk else []:
            self.add(owner)

    def add(self, owner: Owner) -> None:
        for spelling in owner.spellings():
            self._by_spelling.setdefault(normalise_name(spelling), owner)

    def find(self, name: str) -> Owner | None:
        owner = self._by_spelling.get(normalise_name(name))
        if owner is None and (known := known_role_for(name)):
            owner = self._by_spelling.get(normalise_name(known[0]))
        return owner

    def lookalike(self, name: str) -> Owner | None:
        """An owner of the area, not this name's, with a spelling that looks like it."""
        for spelling, owner in self._by_spelling.items():
            if names_look_alike(name, spelling):
                return owner
        return None

    def spellings(self) -> list[str]:
        """Every spelling known here or in the known roles, for splitting "By whom" safely."""
        names = {spelling for owner in self._by_spelling.values() for spelling in owner.spellings()}
        names.update(_KNOWN_SPELLINGS)
        return sorted(names)
