"""The clinic's business words as app values: people by name, the codes a provider enters,
the pages typed by address, audit actions, and the rule each refusal tells."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# "John Patient", "Jane Roe": a patient by full name
PATIENT = r"[A-Z][a-z]+(?: [A-Z][a-z]+)+"
# "Dr. Alice Smith": a provider by full name
PROVIDER = rf"Dr\. {PATIENT}"
# PATIENT_VIEWED: an audit entry's action
ACTION = r"[A-Z]+(?:_[A-Z]+)+"
# what a provider types into the second factor's form
CODE = (
    r"a wrong code|the current code of their authenticator app|the code of the (?:previous|next)"
    r" step|the code of \d+ steps ago|the code they signed in with earlier|the code \"\d{6}\""
)
# a page of the clinic, named as a provider would, to type its address
PAGE = rf"the patient search|{PATIENT}'s record|a new visit for {PATIENT}"
# what each refusal of a code tells, by the reason the audit log gives
CODE_RULES = {
    "wrong": "only a code of the provider's own authenticator app opens the clinic",
    "expired": "a code is valid in its own 30-second step and one step of drift, no longer",
    "reused": "a code is accepted once only",
    "locked": "a locked second factor refuses every code, even the right one, until the lock ends",
}


@dataclass(frozen=True)
class CodeChoice:
    """A code to enter: wrong, the code of a step counted from the current one, or the code the
    provider signed in with earlier in the scenario."""

    phrase: str
    kind: Literal["wrong", "step", "earlier", "typed"]
    steps: int = 0  # kind "step": steps from the current one (-1 the previous, 1 the next)
    typed: str = ""  # kind "typed": the digits, as the provider types them

    @property
    def meant_to_pass(self) -> bool:
        """The current code, or one step of drift either way: the clinic accepts it."""
        return self.kind == "step" and abs(self.steps) <= 1


def code_choice(phrase: str) -> CodeChoice:
    """A CODE phrase as what to enter."""
    phrase = phrase.strip()
    typed = re.fullmatch(r'the code "(\d{6})"', phrase)
    if typed:
        return CodeChoice(phrase, "typed", typed=typed.group(1))
    if phrase == "a wrong code":
        return CodeChoice(phrase, "wrong")
    if phrase == "the code they signed in with earlier":
        return CodeChoice(phrase, "earlier")
    if phrase.endswith("previous step"):
        return CodeChoice(phrase, "step", -1)
    if phrase.endswith("next step"):
        return CodeChoice(phrase, "step", 1)
    ago = re.fullmatch(r"the code of (\d+) steps ago", phrase)
    return CodeChoice(phrase, "step", -int(ago.group(1)) if ago else 0)


@dataclass(frozen=True)
class TypedPage:
    """A page of the clinic whose address a provider types: the search, or a patient's."""

    kind: Literal["search", "record", "new visit"]
    patient: str | None = None  # the patient's full name


def typed_page(phrase: str) -> TypedPage:
    """A PAGE phrase as the page it names."""
    phrase = phrase.strip()
    if phrase == "the patient search":
        return TypedPage("search")
    if phrase.startswith("a new visit for "):
        return TypedPage("new visit", phrase.removeprefix("a new visit for "))
    return TypedPage("record", phrase.removesuffix("'s record"))
