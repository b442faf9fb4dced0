"""Uploads: every form the SDK takes a file in, read one way.

Wherever the SDK takes a file (a raw upload body such as CNaught's logo, a multipart field, the `files=` of a
custom request), it may be given as bytes, a `pathlib.Path`, a binary file object, a `(file name, content)` or
`(file name, content, content type)` tuple, or the package's `File`. `upload` reads each of them into the one form
the engine sends: (file name, the bytes, content type). The bytes are read before sending, so a retried attempt
sends them again and the asyncio client can send what a blocking file object holds.

Hand-written runtime (templates/runtime/_files.py), copied unchanged into each SDK. A leaf: it imports nothing
of the package (the package's `File` is recognised by its attributes, `FileLike`); it is loaded by the first
upload, or by `<package>.types`, which exports `FileInput`.
"""

from __future__ import annotations

import os
from typing import IO, Final, Protocol, TypeAlias

__all__ = ["DEFAULT_CONTENT_TYPE", "FileInput", "FileLike", "upload"]


class FileLike(Protocol):
    """The package's `File` (`<package>.types.File`), as the runtime knows it: by its attributes."""

    @property
    def payload(self) -> IO[bytes]: ...

    @property
    def file_name(self) -> str | None: ...

    @property
    def mime_type(self) -> str | None: ...


FileContent: TypeAlias = bytes | IO[bytes]
# Every form a file may be given in: bytes, a path, a binary file object, (file name, content[, content type]), File.
FileInput: TypeAlias = (
    bytes
    | os.PathLike[str]
    | IO[bytes]
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
    | FileLike
)

# What a file is sent as when neither the caller nor its name says.
DEFAULT_CONTENT_TYPE: Final = "application/octet-stream"
_FORMS: Final = "bytes, a pathlib.Path, a binary file object, (file name, content[, content type]) or File"


def upload(value: object, *, name: str) -> tuple[str | None, bytes, str]:
    """(file name, content, content type) of a file given in any form the SDK takes; `TypeError` naming the argument
    (`name`) for anything else, before anything is sent. The content type is the one given, else the one the
    file name's extension says (`logo.png`: image/png), else application/octet-stream."""
    if isinstance(value, bytes | bytearray | memoryview):
        return None, bytes(value), DEFAULT_CONTENT_TYPE
    if isinstance(value, tuple):
        return _from_tuple(value, name)
    if hasattr(value, "payload") and hasattr(value, "mime_type"):  # the package's File
        file_name = getattr(value, "file_name", None)
        content = _content(value.payload, name)
        return file_name, content, value.mime_type or _guess(file_name)
    if isinstance(value, str):
        raise TypeError(
            f"{name}: a str is neither a file nor its content here: pass pathlib.Path({value[:40]!r}) for a file "
            "on disk, or the content as bytes"
        )
    if isinstance(value, os.PathLike):
        return _from_path(value)
    if callable(getattr(value, "read", None)):
        given = getattr(value, "name", None)
        file_name = os.path.basename(given) if isinstance(given, str) else None
        return file_name, _content(value, name), _guess(file_name)
    raise TypeError(f"{name}: a file is given as {_FORMS}, not {type(value).__name__}")


def _from_path(value: os.PathLike[str] | os.PathLike[bytes]) -> tuple[str | None, bytes, str]:
    """A file on disk, read whole: its name, its bytes, the type its extension says."""
    path = os.fspath(value)
    file_name = os.path.basename(path if isinstance(path, str) else os.fsdecode(path))
    with open(path, "rb") as file:
        return file_name, file.read(), _guess(file_name)


def _from_tuple(value: tuple[object, ...], name: str) -> tuple[str | None, bytes, str]:
    if len(value) not in (2, 3) or not (value[0] is None or isinstance(value[0], str)):
        raise TypeError(
            f"{name}: a file given as a tuple is (file name, content) or (file name, content, content type)"
        )
    file_name = value[0]
    content = value[1].encode() if isinstance(value[1], str) else _content(value[1], name)
    given = value[2] if len(value) == 3 else None
    if given is not None and not isinstance(given, str):
        raise TypeError(f"{name}: the content type of a file is a str such as 'image/png', not {type(given).__name__}")
    return file_name, content, given or _guess(file_name)


def _content(value: object, name: str) -> bytes:
    """The bytes of `value`: bytes as they are, a binary file object read from where it stands."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    read = getattr(value, "read", None)
    if not callable(read):
        raise TypeError(f"{name}: a file's content is bytes or a binary file object, not {type(value).__name__}")
    data = read()
    if isinstance(data, str):
        raise TypeError(f"{name}: the file was opened in text mode; open it in binary mode: open(path, 'rb')")
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"{name}: reading the file gave {type(data).__name__}, not bytes")
    return bytes(data)


def _guess(file_name: str | None) -> str:
    if not file_name:
        return DEFAULT_CONTENT_TYPE
    import mimetypes  # here: only an upload with a file name needs it

    guessed, _ = mimetypes.guess_type(file_name, strict=False)
    return guessed or DEFAULT_CONTENT_TYPE
