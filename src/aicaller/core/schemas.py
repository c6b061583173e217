"""The base of every request body."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, ClassVar

import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict

# NUL: PostgreSQL text cannot hold it (SQLite can). A lone UTF-16 surrogate (JSON allows
# "\ud800"): no UTF-8 encoder, database driver or export writer can encode it.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_NUL = "text must not contain NUL (\\u0000) characters"
_SURROGATE = "text must not contain a lone UTF-16 surrogate (\\ud800-\\udfff)"


def _unstorable(value: Any) -> str | None:
    """Why some string in ``value`` (keys included, at any depth) cannot be stored, if one can't.

    The whole input is walked: free-form fields (``dict[str, Any]``) reach no string validator.
    """
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        if found is None:
            return None
        return _NUL if found.group() == "\x00" else _SURROGATE
    if isinstance(value, Mapping):
        for key, item in value.items():
            if reason := _unstorable(key) or _unstorable(item):
                return reason
    elif isinstance(value, list | tuple):
        for item in value:
            if reason := _unstorable(item):
                return reason
    return None


class RequestModel(BaseModel):
    """Unknown fields are an error, and so is text no database can store anywhere in the input.

    Without this check the same input would be stored on one engine and crash on the other
    (NUL), or crash both and every export that meets it (a lone surrogate).
    """

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _reject_unstorable(cls, data: Any) -> Any:
        if reason := _unstorable(data):
            raise ValueError(reason)
        return data


def _drop_null(schema: JsonDict, model: type[BaseModel]) -> None:
    """The schema of a ``PatchModel``: fields outside ``nullable_fields`` are not nullable."""
    keep: frozenset[str] = getattr(model, "nullable_fields", frozenset())
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    for name, prop in properties.items():
        if name in keep or not isinstance(prop, dict):
            continue
        branches = prop.get("anyOf")
        if not isinstance(branches, list):
            continue
        rest = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")]
        if len(rest) == len(branches):
            continue
        del prop["anyOf"]
        prop.pop("default", None)  # null is not a value of the field
        if len(rest) == 1 and isinstance(rest[0], dict):
            prop.update(rest[0])
        else:
            prop["anyOf"] = rest


class PatchModel(RequestModel):
    """A partial update: any field may be left out, but only ``nullable_fields`` take null
    (it clears the value). The OpenAPI schema says the same, so clients see which is which."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_drop_null)
    nullable_fields: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_allowed(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable_fields:
            raise ValueError("cannot be null; leave the field out to keep its value")
        return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_text(value: Any) -> Any:
    # pydantic also reads a number as a Unix timestamp ("0" -> 1970-01-01); a date parameter
    # takes a date only.
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]
"""A calendar date (query parameters): ``2024-01-31``, never a number."""


def _e164(value: str) -> str:
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{value!r} is not an E.164 phone number such as +14155550123") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"{value!r} is not a valid phone number")
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if formatted != value:
        raise ValueError(f"{value!r} must be written in E.164 form: {formatted}")
    return value


PhoneNumber = Annotated[str, Field(max_length=20), AfterValidator(_e164)]
"""A valid phone number written in E.164 form (``+14155550123``)."""


def spoken_phone_number(value: str) -> str:
    """An E.164 number as people read it out ("+1 415-555-0123")."""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
