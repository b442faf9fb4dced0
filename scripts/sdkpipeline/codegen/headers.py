"""The one header atop every file of a generated package: the line saying it is generated, in the comment style
of the file's kind (a data file carries it as `generated_by`, codegen/generate.py `_data_file`)."""

from __future__ import annotations

from pathlib import PurePath

# By suffix, or by name for a file that has none.
_COMMENT = {".py": "# {}", ".toml": "# {}", ".md": "<!-- {} -->", ".typed": "# {}", ".gitignore": "# {}"}


def with_header(file_name: str, header: str, text: str) -> str:
    """`text` of the file `file_name` with `header` as its first line; unchanged for a kind that has no comments."""
    path = PurePath(file_name)
    style = _COMMENT.get(path.suffix) or _COMMENT.get(path.name)
    return text if style is None else style.format(header) + "\n" + text
