"""Strict readers for configuration from the environment.

Every setting comes from an environment variable. A value that does not parse stops
start-up with an ``ImproperlyConfigured`` error that names the variable, the value and
what was expected, instead of running with a silently wrong configuration.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TypeVar, overload

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def _fail(name: str, raw: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"Environment variable {name}={raw!r} is invalid: expected {expected}."
    )


def _read(name: str, default: T, parse: Callable[[str], T]) -> T:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return parse(raw.strip())


def env_str(name: str, default: str = "") -> str:
    return _read(name, default, lambda raw: raw)


def env_required(name: str, hint: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"Environment variable {name} is required: {hint}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    def parse(raw: str) -> bool:
        lowered = raw.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise _fail(name, raw, "one of true/false, 1/0, yes/no, on/off")

    return _read(name, default, parse)


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise _fail(name, raw, "a whole number") from None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise _fail(name, raw, f"a whole number from {minimum} to {maximum}")
        return value

    return _read(name, default, parse)


@overload
def env_decimal(name: str, default: Decimal, *, minimum: Decimal | None = None) -> Decimal: ...
@overload
def env_decimal(name: str, default: None, *, minimum: Decimal | None = None) -> Decimal | None: ...
def env_decimal(
    name: str, default: Decimal | None, *, minimum: Decimal | None = None
) -> Decimal | None:
    def parse(raw: str) -> Decimal:
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise _fail(name, raw, "a decimal number") from None
        if not value.is_finite() or (minimum is not None and value < minimum):
            raise _fail(name, raw, f"a decimal number of at least {minimum}")
        return value

    return _read(name, default, parse)


def env_choice(name: str, default: str, choices: Sequence[str]) -> str:
    def parse(raw: str) -> str:
        if raw not in choices:
            raise _fail(name, raw, "one of " + ", ".join(choices))
        return raw

    return _read(name, default, parse)


def env_list(name: str, default: Sequence[str]) -> list[str]:
    """Comma-separated list; blanks are dropped."""
    return _read(
        name, list(default), lambda raw: [item.strip() for item in raw.split(",") if item.strip()]
    )


def _env_matching(name: str, default: str, pattern: re.Pattern[str], expected: str) -> str:
    def parse(raw: str) -> str:
        if not pattern.match(raw):
            raise _fail(name, raw, expected)
        return raw

    return _read(name, default, parse)


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate such as ``120/min``."""
    return _env_matching(name, default, _RATE, "a rate such as 120/min (units s, min, hour, day)")


_MEMORY = re.compile(r"^[1-9][0-9]*(kB|MB|GB)$")


def env_memory(name: str, default: str) -> str:
    """A PostgreSQL memory size such as ``32MB`` (units kB, MB, GB)."""
    return _env_matching(name, default, _MEMORY, "a size such as 32MB (units kB, MB, GB)")


def env_url_list(name: str, default: Sequence[str]) -> list[str]:
    """Comma-separated list of http(s) origins, e.g. for CSRF_TRUSTED_ORIGINS."""
    values = env_list(name, default)
    for value in values:
        if not re.match(r"^https?://[^\s/]+$", value):
            raise _fail(
                name, ",".join(values), "comma-separated origins such as https://example.org"
            )
    return values
