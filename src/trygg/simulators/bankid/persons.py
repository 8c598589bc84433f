"""The simulator's test persons.

Fictitious people with valid-checksum personnummer made by
:func:`trygg.kernel.idnumbers.generate_swedish_personal` (the last digit of the serial gives the
legal sex: odd male, even female). The names are invented; any likeness to a real person with
the same number is a coincidence, and none of these numbers is used outside the simulator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from trygg.kernel.idnumbers import generate_swedish_personal

__all__ = ["PERSONS", "Person", "find_person"]


@dataclass(frozen=True)
class Person:
    personal_number: str
    given_name: str
    surname: str
    bank_id_issue_date: dt.date

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.surname}"


def _person(given_name: str, surname: str, born: dt.date, serial: int, issued: dt.date) -> Person:
    return Person(generate_swedish_personal(born, serial), given_name, surname, issued)


PERSONS: Final[tuple[Person, ...]] = (
    _person("Astrid", "Lindqvist", dt.date(1984, 3, 12), 242, dt.date(2021, 9, 14)),
    _person("Erik", "Johansson", dt.date(1975, 11, 2), 131, dt.date(2019, 2, 27)),
    _person("Maja", "Karlsson", dt.date(1992, 7, 21), 486, dt.date(2023, 5, 8)),
    _person("Nils", "Bergström", dt.date(1958, 1, 30), 317, dt.date(2020, 11, 3)),
    _person("Sara", "Ekström", dt.date(2001, 9, 5), 628, dt.date(2024, 1, 19)),
    _person("Olof", "Nyberg", dt.date(1943, 4, 18), 553, dt.date(2018, 6, 12)),
)


def find_person(personal_number: str) -> Person | None:
    for person in PERSONS:
        if person.personal_number == personal_number:
            return person
    return None
