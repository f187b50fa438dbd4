"""Frozen, slotted dataclasses built about as fast as ordinary objects.

Why it exists: a frozen dataclass's generated `__init__` sets every field through
`object.__setattr__`, a call through the type's attribute machinery per field, which makes
building one three times dearer than building an ordinary slotted object. Triage builds a
dozen such values per message (the event, its author, signals, matcher hits, the context of
the rules, the verdict), so that cost showed in its throughput.

`quick_init` gives such a class an `__init__` with the same signature and defaults that
writes each slot through the slot's own descriptor, which is what `object.__setattr__` ends
up doing, minus the lookups on the way. The class is otherwise untouched: it stays frozen
(assigning a field afterwards still raises `FrozenInstanceError`), hashable, comparable and
picklable.
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

T = TypeVar("T", bound=type)

_FACTORY = object()
"""Default of a parameter whose field has a default factory: call the factory."""


def quick_init(cls: T) -> T:
    """Replace the `__init__` of a frozen, slotted dataclass by a faster equivalent.

    Raises:
        TypeError: `cls` is not a frozen dataclass with slots, or uses what the fast
            `__init__` does not reproduce (`__post_init__`, keyword-only or `init=False`
            fields).
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a frozen dataclass with slots")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__")
    names, body = [], []
    env: dict[str, object] = {"_FACTORY": _FACTORY}
    for index, f in enumerate(dataclasses.fields(cls)):
        if not f.init or f.kw_only:
            raise TypeError(f"{cls.__name__}.{f.name} is keyword-only or not in __init__")
        # Values reach the function through its globals under numbered names, so no
        # field name can shadow them.
        if f.default is not dataclasses.MISSING:
            env[f"_default{index}"] = f.default
            names.append(f"{f.name}=_default{index}")
        elif f.default_factory is not dataclasses.MISSING:
            env[f"_factory{index}"] = f.default_factory
            names.append(f"{f.name}=_FACTORY")
            body.append(f"if {f.name} is _FACTORY: {f.name} = _factory{index}()")
        else:
            names.append(f.name)
        env[f"_set{index}"] = cls.__dict__[f.name].__set__
        body.append(f"_set{index}(self, {f.name})")
    source = f"def __init__(self, {', '.join(names)}):\n" + "".join(
        f"    {line}\n" for line in body or ["pass"])
    exec(source, env)  # noqa: S102 (field names of our own classes, as dataclasses does)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[misc]
    return cls
