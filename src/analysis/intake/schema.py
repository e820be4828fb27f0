"""The processed returns table's schema, derived from the instrument's field definitions.

A last guard between cleaning and the outputs: if cleaning ever let a wrong type, a
negative count or a duplicate unit through, the build stops here instead of publishing it.
"""

from __future__ import annotations

import pandera.pandas as pa

from analysis.catalogue import Instrument

DTYPES = {"text": "string", "yes_no": "boolean", "count": "Int64"}


def returns_schema(instrument: Instrument) -> pa.DataFrameSchema:
    columns = {}
    for spec in instrument.fields:
        checks = [pa.Check.ge(0)] if spec.kind == "count" else []
        required = spec.name == "unit_name"
        columns[spec.name] = pa.Column(DTYPES[spec.kind], checks, nullable=not required, unique=required)
    columns["source_file"] = pa.Column("string")
    columns["source_row"] = pa.Column("Int64")
    return pa.DataFrameSchema(columns, strict=True, ordered=True)
