"""The export's JSON writer writes what ``json.dumps(indent=2, ensure_ascii=False)`` writes, for
the copies it is given (sections of records of plain values) and for any other JSON document."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.privacy.export import person_json

plain = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
)
documents = st.recursive(
    plain,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.text(max_size=8), inner, max_size=5),
    ),
    max_leaves=40,
)
records = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.one_of(st.integers(min_value=1), st.text(max_size=12)),
            "fields": st.dictionaries(st.text(min_size=1, max_size=8), plain, min_size=1),
        }
    ),
    max_size=6,
)


def _same(document: Any) -> None:
    assert person_json(document) == json.dumps(document, ensure_ascii=False, indent=2)


@settings(max_examples=300)
@given(documents)
def test_any_document_is_written_as_json_writes_it(document: Any) -> None:
    _same(document)


@settings(max_examples=200)
@given(st.lists(st.fixed_dictionaries({"model": st.text(max_size=8), "rows": records})))
def test_a_copys_sections_of_records_are_written_as_json_writes_them(sections: Any) -> None:
    _same({"person": {"name": "Åsa Öberg", "id": 7}, "sections": sections})


def test_text_with_line_breaks_and_quotes_inside_records() -> None:
    _same(
        {
            "rows": [
                {"id": 1, "fields": {"note": 'a "quoted"\nline', "n": None}},
                {"id": 2, "fields": {"note": "}, {", "n": 1.5}},
            ]
        }
    )
