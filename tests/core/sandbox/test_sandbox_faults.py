"""The fault SPEC: what it accepts, what it refuses (with the bad part named), and when each
fault fires."""

from __future__ import annotations

import pytest

from workstation.sandbox.faults import Faults, FaultSpec, FaultSpecError


def test_the_documented_example_parses() -> None:
    spec = FaultSpec.parse("rate=every:3,500=0.1,timeout=0.05,malformed=0.02,drop=0.02,"
                           "reset=2,hold=4")
    assert spec.triggers["rate"].every == 3
    assert spec.triggers["500"].probability == 0.1
    assert {"timeout", "malformed", "drop"} <= set(spec.triggers)
    assert (spec.reset, spec.hold) == (2.0, 4.0)
    assert FaultSpec.parse("").triggers == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("slow=0.1", "unknown fault 'slow'"),
        ("500", "expected kind=when"),
        ("500=1.5", "outside 0..1"),
        ("rate=every:0", "outside 1..1000000"),
        ("rate=every:2.5", "whole number"),
        ("drop=often", "'often' is not a number"),
    ],
)
def test_bad_specs_name_the_bad_part(text: str, message: str) -> None:
    with pytest.raises(FaultSpecError, match=message):
        FaultSpec.parse(text)


def test_every_n_fires_on_each_nth_request_and_rate_wins_over_others() -> None:
    faults = Faults(FaultSpec.parse("rate=every:3,500=every:2"))
    drawn = [faults.draw() for _ in range(7)]
    assert drawn == [None, "500", "rate", "500", None, "rate", None]


def test_probabilities_follow_the_seed() -> None:
    first = Faults(FaultSpec.parse("drop=0.3"), seed=9)
    second = Faults(FaultSpec.parse("drop=0.3"), seed=9)
    draws = [first.draw() for _ in range(200)]
    assert draws == [second.draw() for _ in range(200)]
    assert 30 < draws.count("drop") < 90


def test_replacing_the_spec_restarts_the_count() -> None:
    faults = Faults(FaultSpec.parse("500=every:2"))
    faults.draw()
    faults.replace(FaultSpec.parse("drop=every:2"))
    assert [faults.draw(), faults.draw()] == [None, "drop"]
