"""Errors that are the user's to fix: the CLI prints them without a traceback and exits non-zero."""


class UserError(Exception):
    """A problem with the user's input or environment; ``exit_code`` is what the CLI returns."""

    exit_code = 2
