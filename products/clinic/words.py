"""The clinic's business words as app values: people by name, the codes a provider enters,
the pages typed by address, audit actions, and the rule each refusal tells."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from harness.long_text import spelled_out

# "John Patient", "Jane Roe": a patient by full name
PATIENT = r"[A-Z][a-z]+(?: [A-Z][a-z]+)+"
# "Dr. Alice Smith": a provider by full name
PROVIDER = rf"Dr\. {PATIENT}"
# what an audit entry tells, in business words, and the action the clinic writes for it
AUDIT_ACTIONS = {
    "an accepted code": "MFA_VERIFIED",
    "a refused code": "MFA_FAILED",
    "the lock of the second factor": "MFA_LOCKED",
    "a search": "PATIENT_SEARCHED",
    "a look at the record": "PATIENT_VIEWED",
    "a refused access": "ACCESS_DENIED",
    "the new visit": "VISIT_CREATED",
    "the new prescription": "PRESCRIPTION_CREATED",
    "a refusal to sign": "PRESCRIPTION_SIGNING_REFUSED",
    "a refused change": "PRESCRIPTION_CHANGE_REFUSED",
    "a listing in a search": "PATIENT_LISTED",
    "a look at the visit": "VISIT_VIEWED",
    "a look at the prescriptions": "PRESCRIPTIONS_VIEWED",
    "the block of the second factor": "MFA_BLOCKED",
    "the lock of signing": "PRESCRIPTION_SIGNING_LOCKED",
    "a refused sign-in": "SIGN_IN_FAILED",
    "the lock of the sign-in": "SIGN_IN_LOCKED",
    "a sign-out": "SIGNED_OUT",
    "an automatic sign-out when idle": "SIGNED_OUT_IDLE",
}
ACTION = "|".join(re.escape(words) for words in AUDIT_ACTIONS)
# what a provider types into the second factor's form
CODE = (
    r"a wrong code|the current code of their authenticator app|the code of the (?:previous|next)"
    r" step|the code of \d+ steps (?:ago|ahead)|the code they signed in with earlier"
    r"|the code \"\d{6}\"|the code of the next step in Arabic-Indic digits"
)
# a page of the clinic, named as a provider would, to type its address
PAGE = rf"the patient search|{PATIENT}'s record|a new visit for {PATIENT}"
# every page and form of a patient, as a provider reaches it: by its address or by its form
# ("the earlier visit" is the patient's oldest visit, with its prescription when it has one)
PLACES = (
    "search for the name",
    "open the record",
    "open the new-visit form",
    "send the new-visit form",
    "open the earlier visit",
    "open the earlier visit's prescriptions",
    "open the earlier visit's prescription form",
    "send the earlier visit's prescription form",
    "sign a prescription at the earlier visit",
    "change the earlier visit's prescription",
)
PLACE = "|".join(re.escape(place) for place in PLACES)
# what each refusal of a code tells, by the reason the audit log gives
CODE_RULES = {
    "wrong": "only a code of the provider's own authenticator app opens the clinic",
    "expired": "a code is valid in its own 30-second step and one step of drift, no longer",
    "reused": "a code is accepted once only",
    "locked": "a locked second factor refuses every code, even the right one, until the lock ends",
    "blocked": "a second lock in a row blocks the second factor until an administrator unlocks it",
}


@dataclass(frozen=True)
class CodeChoice:
    """A code to enter: wrong, the code of a step counted from the current one, or the code the
    provider signed in with earlier in the scenario."""

    phrase: str
    kind: Literal["wrong", "step", "earlier", "typed", "script"]
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
    if phrase == "the code of the next step in Arabic-Indic digits":
        return CodeChoice(phrase, "script")
    if phrase == "the code they signed in with earlier":
        return CodeChoice(phrase, "earlier")
    if phrase.endswith("previous step"):
        return CodeChoice(phrase, "step", -1)
    if phrase.endswith("next step"):
        return CodeChoice(phrase, "step", 1)
    counted = re.fullmatch(r"the code of (\d+) steps (ago|ahead)", phrase)
    if counted:
        steps = int(counted.group(1))
        return CodeChoice(phrase, "step", -steps if counted.group(2) == "ago" else steps)
    return CodeChoice(phrase, "step", 0)


# a code written in Arabic-Indic digits: the same number to a reader, no code to the clinic,
# which takes the ASCII digits an authenticator app shows (the next step's code: one the
# clinic would accept in ASCII digits, even right after the current one was used)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


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


# "{500 accented letters}": letters of two and three bytes in UTF-8, so that a length counted
# in bytes (1000 and more) is told apart from one counted in characters (500)
_ACCENTED = re.compile(r"\{(\d+) accented letters\}")
ACCENTED_LETTERS = "éàüøçñßẞ"


def written_out(text: str) -> str:
    """The text with "{N accented letters}" and "{N letters}" spelled out to N letters."""

    def accented(match: re.Match[str]) -> str:
        count = int(match.group(1))
        return "".join(ACCENTED_LETTERS[i % len(ACCENTED_LETTERS)] for i in range(count))

    return spelled_out(_ACCENTED.sub(accented, text))
