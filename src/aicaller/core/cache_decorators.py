"""``@cached``: cache a tenant-scoped service method's result in the app cache.

The key is built from the method and its arguments and always includes the tenant (the
service's ``business_id``), so one business can never read another's cached value.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from aicaller.core.cache import AppCache

P = ParamSpec("P")
R = TypeVar("R")


class TenantCached(Protocol):
    """What a service needs to use ``@cached``: its cache (None = no caching) and tenant."""

    cache: AppCache | None
    business_id: uuid.UUID


S = TypeVar("S", bound=TenantCached)


def cache_key(
    method: Callable[..., object], args: tuple[object, ...], kwargs: dict[str, object]
) -> str:
    """``qualname(arg1,arg2,k=v)``: arguments must have stable reprs (ids, strings, numbers)."""
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in sorted(kwargs.items())]
    return f"{method.__qualname__}({','.join(parts)})"


def cached(
    name: str, *, local: bool = True
) -> Callable[
    [Callable[Concatenate[S, P], Coroutine[Any, Any, R]]],
    Callable[Concatenate[S, P], Coroutine[Any, Any, R]],
]:
    """Cache the method's result under cache ``name`` (its TTL preset) for the service's tenant.

    Invalidate with ``AppCache.delete_after_commit(session, name, tenant=..., key=cache_key(...))``
    or a shared key helper, after the write that changes the value.
    """

    def decorate(
        method: Callable[Concatenate[S, P], Coroutine[Any, Any, R]],
    ) -> Callable[Concatenate[S, P], Coroutine[Any, Any, R]]:
        async def wrapper(service: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if service.cache is None:
                return await method(service, *args, **kwargs)
            return await service.cache.get_or_set(
                name,
                tenant=service.business_id,
                key=cache_key(method, args, kwargs),
                compute=lambda: method(service, *args, **kwargs),
                local=local,
            )

        # functools.wraps by hand: its typing loses the Concatenate signature under mypy.
        for attribute in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(wrapper, attribute, getattr(method, attribute))
        return wrapper

    return decorate
