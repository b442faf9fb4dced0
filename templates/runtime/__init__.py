"""The SDK runtime: request engine, errors, pagination, raw responses.

Plain Python, linted, type-checked and unit-tested once (tests/runtime/); `nox -s generate` copies these
modules unchanged into every generated package, beside the resources and client that use them. This
`__init__` is not copied: each package has its own.
"""
