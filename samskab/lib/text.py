import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import pgettext


def unique_slug(model: type, text: str, *, max_length: int = 80, reserved: Collection[str] = ()) -> str:
    """A slug for `text` that no row of `model` uses yet, nor is `reserved` (Danish letters transliterated)."""
    base = slugify(transliterate(text))[:max_length].strip("-") or "x"
    slug, n = base, 2
    while slug in reserved or model._default_manager.filter(slug=slug).exists():  # type: ignore[attr-defined]
        suffix = f"-{n}"
        slug, n = base[: max_length - len(suffix)] + suffix, n + 1
    return slug


def transliterate(text: str) -> str:
    text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = text.replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa")
    return unicodedata.normalize("NFKD", text)


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def same_words(a: str, b: str) -> bool:
    """Whether two titles are the same but for case and spacing: the one thing created twice."""
    return normalise_space(a).casefold() == normalise_space(b).casefold()


def first_alike[T](candidates: Iterable[T], **texts: str) -> T | None:
    """The first of `candidates` whose attributes named in `texts` say the same words (`same_words`): what a form
    sent again (after going back in the browser) would create a second time."""
    return next((c for c in candidates if all(same_words(getattr(c, k), v) for k, v in texts.items())), None)


def whole_number(text: str) -> int | None:
    """The number an address or a form sent as an id: ASCII digits only, else None. str.isdigit accepts "²",
    which int() refuses."""
    return int(text) if text.isascii() and text.isdecimal() else None


def local_moment(moment: datetime) -> str:
    """A moment in local time as a notification or a message writes it, as the pages write it: 5. december 2026 14:00
    (month names in the active language)."""
    return date_format(timezone.localtime(moment), "j. F Y H:i")


def join_list(items: Sequence[str], *, themes: bool = False) -> str:
    """The items as one phrase with the active language's conjunction: "a, b and c", "a, b og c". Theme names
    contain "and" themselves ("children and young people"), so `themes` joins with another word (Danish "samt")."""
    if len(items) <= 1:
        return "".join(items)
    parts = {"items": ", ".join(items[:-1]), "last": items[-1]}
    if themes:
        # Translators: joins the last theme to the others; theme names contain "and", so use another word.
        return pgettext("list of themes", "%(items)s as well as %(last)s") % parts
    # Translators: joins the last item of a list to the others: "a, b and c".
    return pgettext("list", "%(items)s and %(last)s") % parts
