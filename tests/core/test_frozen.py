"""`quick_init` builds the same frozen values as the dataclass's own `__init__`."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from workstation.events import Author, Event, PostRef
from workstation.frozen import quick_init
from workstation.pipeline import Signals, Verdict
from workstation.rules.evaluate import Context, Thread
from workstation.signals.intents import Intents
from workstation.signals.lexicon import Hit, Normalised
from workstation.signals.moderation import Moderation


@dataclasses.dataclass(frozen=True, slots=True)
class Plain:
    name: str
    count: int = 3
    tags: tuple[str, ...] = ()
    notes: dict[str, int] = dataclasses.field(default_factory=dict)


@quick_init
@dataclasses.dataclass(frozen=True, slots=True)
class Quick:
    name: str
    count: int = 3
    tags: tuple[str, ...] = ()
    notes: dict[str, int] = dataclasses.field(default_factory=dict)


@pytest.mark.parametrize("cls", [Author, PostRef, Event, Signals, Verdict, Context, Thread,
                                 Intents, Hit, Normalised, Moderation])
def test_the_hot_classes_keep_their_dataclass_signature(cls: type) -> None:
    fields = dataclasses.fields(cls)
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    assert [p.name for p in params] == [f.name for f in fields]
    for param, f in zip(params, fields, strict=True):
        if f.default is not dataclasses.MISSING:
            assert param.default is f.default


def test_values_equal_those_of_the_plain_dataclass() -> None:
    for args, kwargs in [(("a",), {}), (("a", 5), {"tags": ("x",)}), ((), {"name": "b"}),
                         (("c", 1, ("t",), {"k": 1}), {})]:
        plain, quick = Plain(*args, **kwargs), Quick(*args, **kwargs)
        assert dataclasses.astuple(plain) == dataclasses.astuple(quick)
    assert Quick("a").notes == {} and Quick("a").notes is not Quick("a").notes
    with pytest.raises(TypeError):
        Quick()  # the required field is still required
    with pytest.raises(TypeError):
        Quick("a", nope=1)


def test_values_stay_frozen_hashable_and_picklable() -> None:
    author = Author("u1", followers=7)
    with pytest.raises(dataclasses.FrozenInstanceError):
        author.followers = 8  # type: ignore[misc]
    assert author == Author("u1", "", "", 7) and hash(author) == hash(Author("u1", followers=7))
    assert pickle.loads(pickle.dumps(author)) == author


def test_only_frozen_slotted_dataclasses_without_post_init_are_accepted() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        x: int

    @dataclasses.dataclass(slots=True)
    class NotFrozen:
        x: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class PostInit:
        x: int

        def __post_init__(self) -> None:
            pass

    for cls in (NoSlots, NotFrozen, PostInit):
        with pytest.raises(TypeError):
            quick_init(cls)
