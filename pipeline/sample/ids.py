"""Made-up identifiers that look like the real thing and cannot be mistaken for it.

- Child ids are 7-character Mosaic-style person ids ("0012345"): opaque strings whose
  leading zeros matter. Header children get increasing ids in order of first entry to
  care (Mosaic numbers people as it meets them), so the files come out sorted as written.
- Postcodes use the NHS pseudo-postcode area ZZ99, which is no real place.
- Ofsted URNs are "SC" + 6 digits with many leading zeros ("SC000123").
- UPNs are "A" + 12 digits (a real UPN starts with a check letter computed from the rest).
"""

from __future__ import annotations

from random import Random

ID_SPACE = 4_000_000  # person ids run from 1000 to about 4 million: a quarter start with "0"
FIRST_ID = 1000
FAMILY_SPACE = 10_000_000
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a real inward code may use
_INWARD = [f"{digit}{a}{b}" for digit in range(10) for a in INWARD_LETTERS for b in INWARD_LETTERS]
POSTCODES = tuple(f"ZZ99 {inward}" for inward in _INWARD)


class _Used:
    """A set of numbers below a ceiling, as a bitmap (a few megabytes at national scale)."""

    def __init__(self, ceiling: int) -> None:
        self._bits = bytearray(ceiling // 8 + 1)

    def add(self, number: int) -> None:
        self._bits[number >> 3] |= 1 << (number & 7)

    def __contains__(self, number: int) -> bool:
        return bool(self._bits[number >> 3] & (1 << (number & 7)))


class PersonIds:
    """Unique person ids: an increasing stream for header children, random ones for the rest."""

    def __init__(self, rng: Random, expected_header: int) -> None:
        self._rng = rng
        self._mean_gap = max(2.0, (ID_SPACE - FIRST_ID) / max(expected_header, 1) * 0.75)
        self._next = FIRST_ID + rng.randrange(int(self._mean_gap))
        self._ceiling = max(ID_SPACE, 4 * expected_header)
        self._used = _Used(self._ceiling * 2)
        self._count = 0

    def next_header(self) -> str:
        """The next header child's id (always greater than the previous one)."""
        number = self._next
        self._used.add(number)
        self._count += 1
        self._next = number + 1 + int(self._rng.expovariate(1.0 / (self._mean_gap - 1)))
        return f"{number:07d}"

    def other(self) -> str:
        """A random unused id for someone never looked after (prevention, assessments)."""
        if self._count * 2 > self._ceiling:
            raise ValueError("too many people for the id space")
        span = self._ceiling - FIRST_ID
        while True:
            number = FIRST_ID + int(self._rng.random() * span)
            if number not in self._used:
                self._used.add(number)
                self._count += 1
                return f"{number:07d}"


class FamilyIds:
    """Unique family group ids like "F0123456"."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng
        self._used = _Used(FAMILY_SPACE)

    def new(self) -> str:
        while True:
            number = 10_000 + int(self._rng.random() * (FAMILY_SPACE - 10_000))
            if number not in self._used:
                self._used.add(number)
                return f"F{number:07d}"


def postcode(rng: Random) -> str:
    """A postcode-shaped value in the NHS pseudo area ZZ99 ("ZZ99 3AB")."""
    return POSTCODES[int(rng.random() * len(POSTCODES))]


def upn(rng: Random) -> str:
    """A fake unique pupil number: "A" and 12 digits."""
    return f"A{rng.randrange(10**12):012d}"


class Urns:
    """Fake Ofsted unique reference numbers, each used once ("SC000123")."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng
        self._used: set[int] = set()
        self._ceiling = 1000

    def new(self) -> str:
        while True:
            if len(self._used) * 2 > self._ceiling:
                self._ceiling *= 10
            number = self._rng.randrange(1, self._ceiling)
            if number not in self._used:
                self._used.add(number)
                return f"SC{number:06d}"
