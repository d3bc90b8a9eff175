"""The collect state: what counts as a hand edit of a params file."""

from __future__ import annotations

from xxgk.demo import write_demo
from xxgk.office.state import load_state
from xxgk.params_write import file_sha256


def test_demo_output_is_no_hand_edit_but_a_change_to_it_is(tmp_path):
    params = tmp_path / "params"
    write_demo(params, 3, [2022])
    state = load_state(params, 2022)
    target = params / "2022" / "demo-001.yaml"
    assert state.written == {} and not state.hand_edited("demo-001", target)  # collect may replace demo data
    target.write_text(target.read_text(encoding="utf-8") + "# 手工修改\n", encoding="utf-8")
    assert state.hand_edited("demo-001", target)
    state.written["demo-001"] = file_sha256(target)  # what collect wrote is no hand edit
    assert not state.hand_edited("demo-001", target)
    assert not state.hand_edited("demo-009", params / "2022" / "demo-009.yaml")  # no file: nothing to protect
    (params / ".demo.json").write_text("{not json", encoding="utf-8")  # an unreadable record protects everything
    assert state.hand_edited("demo-002", params / "2022" / "demo-002.yaml")
