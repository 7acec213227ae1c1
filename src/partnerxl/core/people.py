"""Who is who among a review's respondents and invited respondents (docs/rules.md, "Invited respondents").

A respondent is a person of an organisation, so one organisation may rate through several people. Two entries
are the same person when their organisations match and their e-mail addresses match (when both have one), else
their names match — two unnamed columns of one organisation cannot be told apart, so they count as one person.
An invited respondent has returned when a respondent with ratings is them: matched by e-mail, else by name within
the organisation; an invitee given with neither name nor e-mail is matched by the organisation alone.
Everything is compared by `text.match_key` (trimmed, folded, case ignored), like ids.
"""

from __future__ import annotations

from typing import Any, Protocol, Sequence

from partnerxl.core.text import match_key


class Person(Protocol):
    organisation: str
    name: str | None
    email: str | None


def _key(value: Any) -> str:
    return match_key(value) if value else ""


def same_person(a: Person, b: Person) -> bool:
    """Are `a` and `b` the same person of the same organisation?"""
    if _key(a.organisation) != _key(b.organisation):
        return False
    if _key(a.email) and _key(b.email):
        return _key(a.email) == _key(b.email)
    return _key(a.name) == _key(b.name)


def _by_email(invitee: Person, person: Person) -> bool:
    return bool(_key(invitee.email)) and _key(invitee.email) == _key(person.email)


def _by_name(invitee: Person, person: Person) -> bool:
    if _key(invitee.email) and _key(person.email):
        return False  # both have an address and they differ: two people, whatever their names
    return (bool(_key(invitee.name)) and _key(invitee.name) == _key(person.name)
            and _key(invitee.organisation) == _key(person.organisation))


def _by_organisation(invitee: Person, person: Person) -> bool:
    return (not _key(invitee.name) and not _key(invitee.email)
            and _key(invitee.organisation) == _key(person.organisation))


def returned(invited: Sequence[Person], respondents: Sequence[Any]) -> list[bool]:
    """For each invitee, whether one of `respondents` (those with ratings) is them. Each respondent answers for one
    invitee only, so two invitees of one organisation need two columns; e-mail matches are made first."""
    rated = [r for r in respondents if getattr(r, "ratings", True)]
    used: set[int] = set()
    found = [False] * len(invited)
    for rule in (_by_email, _by_name, _by_organisation):
        for i, invitee in enumerate(invited):
            if found[i]:
                continue
            j = next((j for j, r in enumerate(rated) if j not in used and rule(invitee, r)), None)
            if j is not None:
                used.add(j)
                found[i] = True
    return found
