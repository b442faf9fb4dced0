"""The runtime's side of httpx, for a server it does not trust: masked logs.

Hand-written runtime (templates/runtime/_transport.py), copied unchanged into each SDK. `_base_client`
imports it with the first request (it imports httpx), never when the package is imported.

- `mask_in_httpx_log()` masks the value of a query parameter that carries a key in the URL httpx logs
  with every request (its INFO line `HTTP Request: GET <url>`), as the SDK's own log records do.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

import httpx

if TYPE_CHECKING:
    from collections.abc import Collection

__all__ = ["mask_in_httpx_log", "mask_params"]


def mask_params(url: httpx.URL, names: Collection[str]) -> httpx.URL:
    """`url` with the value of each query parameter named in `names` replaced by `<redacted>`."""
    if not names or not any(name in names for name, _ in url.params.multi_items()):
        return url
    return url.copy_with(params=[(k, "<redacted>" if k in names else v) for k, v in url.params.multi_items()])


class _MaskKeysInURLs(logging.Filter):
    """On httpx's logger: the URLs its records carry, with the values of key parameters (`names`) masked."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, httpx.URL) for a in record.args):
            record.args = tuple(mask_params(a, self.names) if isinstance(a, httpx.URL) else a for a in record.args)
        return True


# One filter per copy of this runtime (one per SDK), shared by all its clients: the logger is process-wide.
_HTTPX_LOG_FILTER: Final = _MaskKeysInURLs()


def mask_in_httpx_log(names: Collection[str]) -> None:
    """Mask these query parameters' values in httpx's own log records, from now on and in the whole process."""
    _HTTPX_LOG_FILTER.names.update(names)
    logger = logging.getLogger("httpx")
    if _HTTPX_LOG_FILTER not in logger.filters:
        logger.addFilter(_HTTPX_LOG_FILTER)
