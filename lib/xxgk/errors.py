"""Errors that are the user's to fix: the CLI prints them without a traceback and exits non-zero."""


class UserError(Exception):
    """A problem with the user's input or environment; ``exit_code`` is what the CLI returns."""

    exit_code = 2


def did_you_mean(word: str, choices) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices`` (difflib), else an empty string."""
    import difflib

    from xxgk.i18n import _

    close = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return _("; did you mean {name!r}?").format(name=close[0]) if close else ""
