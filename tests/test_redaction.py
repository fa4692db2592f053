import pytest

from bot.redaction import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email me at jane.doe+clinic@mail.example.com please", "email me at [EMAIL] please"),
        ("my ssn is 123-45-6789", "my ssn is [SSN]"),
        ("SSN: 123456789", "[SSN]"),
        ("call (555) 010-2345 or 555.010.2345 or +1 555 010 2345", "call [PHONE] or [PHONE] or [PHONE]"),
        ("born 03/14/1985, seen 2026-11-02", "born [DATE], seen [DATE]"),
        ("my appointment is on March 3rd, 2027", "my appointment is on [DATE]"),
        ("on 3 March 2027 at noon", "on [DATE] at noon"),
        ("I live at 1234 North Oak Street, Apt 5B in town", "I live at [ADDRESS] in town"),
        ("deliver to 77 Elm Rd.", "deliver to [ADDRESS]"),
    ],
)
def test_identifiers_are_replaced_by_tags(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "What are mesenchymal stem cells?",
        "Does it cost $5,156 on average?",
        "In the trial of 110 people, 3 progressed",
        "Is 20/200 vision after the injection normal?",
        "May I ask about lupus?",
    ],
)
def test_ordinary_questions_are_unchanged(text: str) -> None:
    assert redact(text) == text
