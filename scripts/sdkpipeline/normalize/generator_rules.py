"""The generator's naming and default rules the normalizer applies, as openapi-python-client 0.29.1 has them.

Copies, not imports: the normalizer runs in a process of its own while the command imports the generator beside it
(codegen/generate.py), and importing the generator there would cost that process the 0.16 s the overlap saves
(pydantic building the generator's OpenAPI models, its Jinja environment). Each function names what it copies;
tests/test_upstream.py holds every one to the pinned generator's own (on generated text and on the defaults the
generator tests), so a new generator version that changes one fails there first.
"""

from __future__ import annotations

import builtins
import datetime
import re
from keyword import iskeyword
from typing import Any
from uuid import UUID

# openapi_python_client/strings.py
DELIMITERS = r"\. _-"
# The prefix the pipeline has the generator give a field or class whose name is not a valid identifier ('1st' →
# 'field_1st'): codegen/generator.py passes this one in its config, so the normalizer's class names are the generator's.
FIELD_PREFIX = "field_"
RESERVED_WORDS = (set(dir(builtins)) | {"self", "true", "false", "datetime"}) - {"id"}
_DELIMITER_RUN = re.compile(rf"[^{re.escape(DELIMITERS)}]+")


def sanitize(value: str) -> str:
    """strings.sanitize: every character but letters, digits and the delimiters removed."""
    return "".join(c for c in value if c.isidentifier() or c.isdecimal() or c in DELIMITERS)


def split_words(value: str) -> list[str]:
    """strings.split_words: the words of a text, at case changes and delimiters."""
    if any(c.isupper() for c in value):
        value = " ".join(re.split("([A-Z]?[a-z]+)", value))
    return _DELIMITER_RUN.findall(value)


def fix_reserved_words(value: str) -> str:
    """strings.fix_reserved_words: a builtin's or keyword's name suffixed with `_`."""
    if value in RESERVED_WORDS or iskeyword(value):
        return f"{value}_"
    return value


def snake_case(value: str) -> str:
    """strings.snake_case."""
    return "_".join(split_words(sanitize(value))).lower()


def pascal_case(value: str) -> str:
    """strings.pascal_case."""
    words = split_words(sanitize(value))
    return "".join(word.capitalize() if not word.isupper() else word for word in words)


def class_name(value: str, prefix: str = FIELD_PREFIX) -> str:
    """strings.ClassName(value, prefix), as a plain string."""
    safe_value = fix_reserved_words(pascal_case(value))
    if not safe_value.isidentifier():
        safe_value = fix_reserved_words(pascal_case(f"{prefix}{safe_value}"))
    return safe_value


# parser/properties/*.py: each property's `convert_value`, reduced to whether it takes a default (a PropertyError
# or an exception is a refusal). None is taken by every one of them: the generator reads no default then.


def takes_boolean(value: Any) -> bool:
    """BooleanProperty.convert_value: a bool, or the text true/false in any case."""
    if value is None or isinstance(value, bool):
        return True
    return isinstance(value, str) and value.lower() in ("true", "false")


def takes_float(value: Any) -> bool:
    """FloatProperty.convert_value: a number (no bool), or a text float() reads."""
    if value is None or isinstance(value, float):
        return True
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return False
        return True
    return isinstance(value, int) and not isinstance(value, bool)


def takes_int(value: Any) -> bool:
    """IntProperty.convert_value: an int (no bool), or a float or a text float() reads that is a whole number."""
    converted = value
    if converted is None:
        return True
    if isinstance(converted, str):
        try:
            converted = float(converted)
        except ValueError:
            return False
    if isinstance(converted, float):
        try:
            as_int = int(converted)
        except (OverflowError, ValueError):  # inf, nan: the generator's own conversion raises
            return False
        if converted == as_int:
            converted = as_int
    return isinstance(converted, int) and not isinstance(converted, bool)


def takes_date(value: Any) -> bool:
    """DateProperty.convert_value: a text date.fromisoformat reads."""
    return value is None or (isinstance(value, str) and _parses(datetime.date.fromisoformat, value))


def takes_datetime(value: Any) -> bool:
    """DateTimeProperty.convert_value: a text datetime.fromisoformat reads."""
    return value is None or (isinstance(value, str) and _parses(datetime.datetime.fromisoformat, value))


def takes_uuid(value: Any) -> bool:
    """UuidProperty.convert_value: a text UUID() reads."""
    return value is None or (isinstance(value, str) and _parses(UUID, value))


def _parses(parse: Any, text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True
