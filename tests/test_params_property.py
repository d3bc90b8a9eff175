"""Property: any narrative text and any cell value survive params YAML → model → YAML exactly."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.model import Cell
from xxgk.params import loads_params
from xxgk.params_write import dump_params

# any text the loader accepts: control, zero-width, bidi and separator characters are refused (tests/test_bad_inputs.py)
texts = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp"), whitelist_characters="\n\t"), max_size=60)
counts = st.integers(min_value=-5, max_value=10**7)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s1=texts, s5=texts, preamble=texts, title=texts, n=counts, money=st.decimals(0, 10**6, places=4))
def test_roundtrip(sample, s1, s5, preamble, title, n, money):
    sample.sections["s1"] = s1
    sample.sections["s5"] = s5
    sample.preamble = preamble
    if title:
        sample.section_titles["s6"] = title
    sample.cells["t3.granted.natural_person"] = Cell.of(n)
    m = money.normalize() if money != money.to_integral_value() else int(money)
    sample.cells["t2.procurement.amount"] = Cell.of(m if isinstance(m, int) else Decimal(m))
    back = loads_params(dump_params(sample), sample.source)
    assert back == sample
