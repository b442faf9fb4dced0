"""The runtime's sentinels: `UNSET` (a request argument with no value, never sent) and `NOT_GIVEN` (a
per-request option the caller left to the client's default).

Hand-written runtime (templates/runtime/_sentinels.py), copied unchanged into each SDK. A leaf: it imports
nothing of the package, so every other runtime module, the models and the generated code import it
without an import cycle.
"""

from __future__ import annotations

# Not `from typing import TYPE_CHECKING`: importing typing would be most of what importing the package costs.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final, Literal

__all__ = ["NOT_GIVEN", "UNSET", "NotGiven", "Unset"]


class Unset:
    """The type of `UNSET`: a request argument that was not given (distinct from an explicit None).

    Models do not use it: a model field that is not set reads None (see `Model.model_fields_set`)."""

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self) -> str:
        # Pickles as the module's singleton, so `is UNSET` holds after a round trip.
        return "UNSET"


UNSET: Unset = Unset()


class NotGiven:
    """Marks a per-request option the caller did not pass (distinct from an explicit None: `timeout=None` is no
    timeout at all)."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()
