"""The one error type commands raise; the CLI turns it into a line on stderr."""


class JifenError(Exception):
    """Something the user can fix: the message says what was wrong and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
