"""HTTP statuses as an OpenAPI document keys its responses: the one rule for what a success is."""

from __future__ import annotations


def is_success(status: object) -> bool:
    """Whether a response key of the spec (`200`, `2XX`) or a status code (`204`) is a success (a 2xx)."""
    text = str(status).upper()
    return len(text) == 3 and text[0] == "2" and (text[1:].isdigit() or text[1:] == "XX")
