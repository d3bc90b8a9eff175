"""Running the CLI in-process for the bad-input catalogue: exit code and stderr, no traceback."""

from __future__ import annotations

import pytest

from xxgk.cli import main


def run_cli(capsys, argv: list[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``xxgk ARGV`` run in this process; argparse's exits count too."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse refuses a flag value
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(capsys, argv: list[str], *parts: str) -> str:
    """The command exits 2 with every part in its message and no traceback; return stderr."""
    code, _out, err = run_cli(capsys, argv)
    assert code == 2, err
    assert "Traceback" not in err and "[internal]" not in err
    for part in parts:
        assert part in err, f"{part!r} not in {err!r}"
    return err


__all__ = ["assert_refused", "pytest", "run_cli"]
