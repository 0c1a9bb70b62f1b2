"""Matching the values of real spreadsheets to the tool's lists.

A team's own sheets spell list values their own way ("Mental health", "MENTAL  HEALTH
PROBLEMS", "Community alarm", "Y"). Before a row is validated, every listed column is
resolved to the list's own spelling:

1. the value itself, compared without regard to case, spacing, punctuation, "&"/"and" or a
   plural "s" (:func:`normalise`);
2. an alias: the labels the published report uses, the built-in spellings of enumerations,
   and every mapping the team chose in an earlier import (remembered in ``import_aliases``);
3. for enumerations (statuses, grades, terms, assurance), the one value whose first words
   it is ("Contractual" is "contractual negotiation"), only when exactly one is.

A value that still does not match is reported once, with every row that holds it and the
closest list values (difflib), so that one ``--map`` or ``--add-new`` fixes every row.
Nothing here guesses: an ambiguous value is an error.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sp_tui.domain.errors import ImportFailed, ValidationError

# Values longer than this get no closest-match suggestion (reference values are short).
CLOSEST_LIMIT = 120

Rows = list[tuple[int, dict[str, object]]]
_WORD = re.compile(r"[a-z0-9]+")
_SHOWN_ROWS = 3


def normalise(value: object) -> str:
    """The comparison key of a value: lower case, words only, '&' as 'and', singular words."""
    text = str(value if value is not None else "").casefold().replace("&", " and ")
    text = text.replace("'", "").replace("\u2019", "")  # Women's = Womens
    words = []
    for word in _WORD.findall(text):
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return " ".join(words)


# The published report's labels (Tables 2.2, 2.3, Appendix 3) for the register's values.
REPORT_LABELS: dict[str, dict[str, str]] = {
    "client_group": {
        "Learning disability": "People with learning disabilities",
        "Learning disabilities": "People with learning disabilities",
        "Mental health": "People with mental health problems",
        "Mental health problems": "People with mental health problems",
        "Offenders": "Offenders or people at risk of offending",
        "Offenders at risk of offending": "Offenders or people at risk of offending",
        "Those at risk of domestic abuse": "People at risk of domestic violence",
        "Women at risk of domestic violence": "People at risk of domestic violence",
        "Alcohol problems": "People with alcohol problems",
        "Drug problems": "People with drug problems",
        "Older people with mental health problems":
            "Older people with mental health problems/dementia",
        "Physical/ sensory disabilities": "Physical or sensory disability",
        "Homeless family with support needs": "Homeless families with support needs",
        "Homeless families": "Homeless families with support needs",
        "Single homeless": "Single homeless with support needs",
    },
    "service_type": {
        "Community alarm": "Community or social alarm",
        "Social alarm": "Community or social alarm",
        "Outreach service": "Outreach",
        "HIA": "Home improvement agency",
        "Floating support services": "Floating support",
        "Women's' refuge": "Women's refuge",
        "Refuge": "Women's refuge",
    },
    "district": {"Tonbridge and Malling": "Tonbridge & Malling"},
}

YES_NO = {"yes": ("y", "true", "1", "required", "x"), "no": ("n", "false", "0", "not required")}


@dataclass
class Choices:
    """One list a column's values must come from, with its aliases."""

    name: str                       # the list's name, for messages and remembered aliases
    values: Sequence[str]           # the list's own spellings
    aliases: Mapping[str, str] = field(default_factory=dict)  # alias -> listed value
    prefix: bool = False            # an enumeration: accept the one value a word starts
    extendable: bool = False        # --add-new may add values to the list

    def __post_init__(self) -> None:
        keys: dict[str, set[str]] = {}
        for value in self.values:
            keys.setdefault(normalise(value), set()).add(value)
        for alias, value in self.aliases.items():
            if value in self.values:
                keys.setdefault(normalise(alias), set()).add(value)
        # A key that two values share is ambiguous: it matches neither.
        self._keys = {k: next(iter(v)) for k, v in keys.items() if len(v) == 1}

    def match(self, value: object) -> str | None:
        key = normalise(value)
        if key in self._keys:
            return self._keys[key]
        if self.prefix:
            found = {v for k, v in self._keys.items() if k.startswith(key + " ")}
            if len(found) == 1:
                return found.pop()
        return None

    def closest(self, value: object, n: int = 3) -> list[str]:
        """The listed values nearest ``value``: by shared words (half of its words or more)
        or by spelling (difflib ratio 0.7 or more), best first."""
        key = normalise(value)
        if len(key) > CLOSEST_LIMIT:  # no list value is this long; spelling costs |a|×|b|
            return []
        words = set(key.split())
        scores: dict[str, tuple[float, float]] = {}
        for k, listed in self._keys.items():
            shared = len(words & set(k.split())) / len(words) if words else 0.0
            matcher = difflib.SequenceMatcher(None, key, k)
            spelling = matcher.ratio() if matcher.real_quick_ratio() >= 0.7 else 0.0
            score = (max(shared if shared >= 0.5 else 0.0, spelling if spelling >= 0.7 else 0.0),
                     spelling)  # ties go to the closer spelling
            if score[0] and score > scores.get(listed, (0.0, 0.0)):
                scores[listed] = score
        ranked = sorted(scores, key=lambda v: (-scores[v][0], -scores[v][1], v))
        return ranked[:n]


@dataclass
class Unknown:
    """A value not in a column's list, with every row holding it."""

    column: str
    value: str
    rows: list[int]
    closest: list[str]
    extendable: bool
    listed: tuple[str, ...] = ()    # a short list, shown whole when nothing is close

    def message(self) -> str:
        shown = ", ".join(str(r) for r in self.rows[:_SHOWN_ROWS])
        more = ", …" if len(self.rows) > _SHOWN_ROWS else ""
        count = f"{len(self.rows)} row{'s' if len(self.rows) != 1 else ''}"
        text = f"{self.column} {self.value!r} is not in the list ({count}: {shown}{more})"
        if self.closest:
            text += "; closest: " + ", ".join(repr(c) for c in self.closest)
        elif self.listed:
            text += "; the list holds: " + ", ".join(self.listed)
        return text

    def hint(self) -> str:
        target = self.closest[0] if self.closest else "LIST VALUE"
        text = f'--map {self.column}="{self.value}={target}"'
        return text + (f" or --add-new {self.column}" if self.extendable else "")


class UnknownValues(ImportFailed):
    """An import that failed, at least partly, on values not in a list. ``unknown`` lists
    them (one entry per column and value), so that a screen can offer to map them."""

    def __init__(self, unknown: list[Unknown], errors: list[tuple[int, str]]) -> None:
        self.unknown = unknown
        grouped = [(0, u.message()) for u in unknown]
        hints = [(0, "to import: " + " ".join(u.hint() for u in unknown))] if unknown else []
        super().__init__(grouped + errors + hints)


@dataclass
class Resolution:
    """Rows with their listed columns resolved, and what is left to report."""

    rows: Rows
    unknown: list[Unknown]
    cells: set[tuple[int, str]]                 # (row, column) of every unknown value
    new_values: dict[str, list[str]]            # --add-new: values to add to each list
    remembered: list[tuple[str, str, str]]      # (list name, alias, value) to remember

    def row_errors(self, number: int, exc: ValidationError) -> list[tuple[int, str]]:
        """The row's validation errors, less those of cells already reported as unknown."""
        return [(number, msg) for name, msg in exc.errors.items()
                if (number, name) not in self.cells]

    def check(self, errors: list[tuple[int, str]]) -> None:
        """Raise UnknownValues (or ImportFailed) if anything is wrong; else return."""
        if self.unknown:
            raise UnknownValues(self.unknown, errors)
        if errors:
            raise ImportFailed(errors)


def parse_mappings(specs: Iterable[str]) -> dict[str, dict[str, str]]:
    """``client_group=Mental health problems=People with...`` (as typed after --map) ->
    {column: {from: to}}. Raises ValidationError."""
    result: dict[str, dict[str, str]] = {}
    for spec in specs:
        column, sep, rest = spec.partition("=")
        source, sep2, target = rest.partition("=")
        if not (sep and sep2 and column.strip() and source.strip() and target.strip()):
            raise ValidationError({"map": f"--map takes COLUMN=\"FROM=TO\", got {spec!r}"})
        result.setdefault(column.strip().lower(), {})[source.strip()] = target.strip()
    return result


def resolve(rows: Iterable[tuple[int, Mapping[str, object]]], columns: Mapping[str, Choices],
            mapping: Mapping[str, Mapping[str, str]] | None = None,
            add_new: Iterable[str] = ()) -> Resolution:
    """Replace each listed column's value by the list's own spelling (in copies of the rows).

    ``mapping``: {column: {value: listed value}} chosen by the user for this import; each is
    checked against the list and remembered as an alias. ``add_new``: columns whose unknown
    values are to be added to their (extendable) list. Raises ValidationError for a bad
    mapping or a column that cannot take new values."""
    mapping = {c.lower(): dict(m) for c, m in (mapping or {}).items()}
    add_new = {c.lower() for c in add_new}
    for column in [*mapping, *add_new]:
        if column not in columns:
            raise ValidationError({"map": f"column {column!r} has no list to match; columns"
                                          f" with lists: {', '.join(columns)}"})
    for column in add_new:
        if not columns[column].extendable:
            raise ValidationError({"add_new": f"{column} is a fixed list: new values cannot be"
                                              " added; use --map"})
    chosen: dict[str, dict[str, str]] = {}
    remembered: list[tuple[str, str, str]] = []
    for column, pairs in mapping.items():
        choices = columns[column]
        for source, target in pairs.items():
            listed = choices.match(target)
            if listed is None:
                raise ValidationError({"map": f"{column}: {target!r} is not in the list"
                                              f" (closest: {', '.join(choices.closest(target))})"})
            chosen.setdefault(column, {})[normalise(source)] = listed
            remembered.append((choices.name, normalise(source), listed))

    out: Rows = []
    unknown: dict[tuple[str, str], Unknown] = {}
    cells: set[tuple[int, str]] = set()
    new_values: dict[str, list[str]] = {}
    for number, fields in rows:
        fields = dict(fields)
        for column, choices in columns.items():
            if column not in fields:
                continue
            raw = fields[column]
            if isinstance(raw, bool) or raw is None or not normalise(raw):
                continue  # blanks (and xlsx booleans) are left to the row's validation
            listed = chosen.get(column, {}).get(normalise(raw)) or choices.match(raw)
            if listed is not None:
                fields[column] = listed
                continue
            text = " ".join(str(raw).split())
            if column in add_new:
                new = new_values.setdefault(column, [])
                if all(normalise(v) != normalise(text) for v in new):
                    new.append(text)
                fields[column] = next(v for v in new if normalise(v) == normalise(text))
                continue
            key = (column, normalise(text))
            if key not in unknown:
                unknown[key] = Unknown(column, text, [], choices.closest(text), choices.extendable,
                                       tuple(choices.values) if len(choices.values) <= 12
                                       else ())
            unknown[key].rows.append(number)
            cells.add((number, column))
        out.append((number, fields))
    return Resolution(out, list(unknown.values()), cells, new_values, remembered)
