"""How the report writes figures in sentences.

Numbers under ten are words ("Three complaints were received"), as the published report
writes them; but when a sentence compares figures and one of them is ten or more, all are
numerals ("26 were completed, 5 were not completed"), so that figures stand side by side.
"""

from __future__ import annotations

_WORDS = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_word(n: int) -> str:
    """0-9 as words (0 is "none"); anything else as a numeral."""
    return _WORDS[n] if 0 <= n < 10 else f"{n:,}"


def figures(*counts: int) -> list[str]:
    """The counts of one sentence, written together: all words when every count is under
    ten, else all numerals."""
    if all(0 <= n < 10 for n in counts):
        return [number_word(n) for n in counts]
    return [f"{n:,}" for n in counts]


def plural(n: int, one: str, many: str | None = None) -> str:
    return one if n == 1 else (many or one + "s")


def capitalise(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:] if sentence else sentence


def count_noun(n: int, one: str, many: str | None = None, *, numerals: bool = False) -> str:
    """'no complaints', 'one complaint', 'three complaints', '31 services'."""
    noun = plural(n, one, many)
    if n == 0:
        return f"no {noun}"
    return f"{n:,} {noun}" if numerals or n >= 10 else f"{number_word(n)} {noun}"
