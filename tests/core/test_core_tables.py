"""The Core table clauses of the queue's read path say what the ORM models say."""

from __future__ import annotations

from sqlalchemy import TypeDecorator
from sqlmodel import SQLModel

from workstation import core_tables
from workstation.core_tables import UtcDateTime
from workstation.models import LeadStage, Role


def test_every_column_exists_in_the_models_with_the_same_type() -> None:
    tables = SQLModel.metadata.tables
    for light in core_tables.ALL:
        model = tables[light.name]
        for column in light.columns:
            assert column.name in model.c, f"{light.name}.{column.name}"
            stored = model.c[column.name].type
            if isinstance(column.type, UtcDateTime):
                # Timestamps convert the same way (aware in, UTC out), on both engines.
                assert type(stored).__name__ == "UTCDateTime", f"{light.name}.{column.name}"
            else:
                if isinstance(stored, TypeDecorator):  # SQLModel's AutoString is a String
                    stored = stored.impl_instance
                assert isinstance(stored, type(column.type)), f"{light.name}.{column.name}"


def test_the_constants_are_the_enums_values() -> None:
    assert core_tables.CLOSED_LEAD_STAGES == (LeadStage.CUSTOMER.value, LeadStage.LOST.value)
    assert core_tables.ROLES == tuple(r.value for r in Role)
