"""Translation hooks: every user-facing string goes through `_`.

Catalogs live in `jifen/locale/<lang>/LC_MESSAGES/jifen.mo`. Until the Chinese
catalog ships, the English source strings are shown.
"""

import gettext
from pathlib import Path

_LOCALE_DIR = Path(__file__).parent / "locale"
_translation = gettext.translation("jifen", localedir=_LOCALE_DIR, fallback=True)


def _(message: str) -> str:
    """Translate one message into the user's language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message whose wording depends on a count."""
    return _translation.ngettext(singular, plural, count)
