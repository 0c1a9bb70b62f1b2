"""Pickers: a drop-down of matches under a text field (textual-autocomplete), used for every
field that names an existing record (provider, service) or a known value (officer).

Type a few letters; the matches open under the field, `Up`/`Down` move, `Tab` or `Enter`
takes the highlighted one (`Tab` then moves on), `Esc` closes the list. What is typed is
never silently turned into a new record: the form checks the value on save (a service must
exist; a new provider is created only after an explicit confirmation).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.content import Content
from textual.widgets import Input
from textual_autocomplete import AutoComplete, DropdownItem, TargetState

Lookup = Callable[[str], Sequence[tuple[str, str]]]
"""text typed -> [(value put in the field, label shown in the list)], best first."""

MAX_MATCHES = 8


class PickItem(DropdownItem):
    """A list entry whose label (plain text, never markup) may say more than the value it
    puts in the field (a service: reference, name and provider; the field gets the ref)."""

    def __init__(self, value: str, label: str) -> None:
        super().__init__(main=Content(label))
        self._value = value

    @property
    def value(self) -> str:  # what Tab/Enter puts in the field
        return self._value


class Picker(AutoComplete):
    """The drop-down for one Input: ``lookup`` finds the matches for the whole text typed."""

    DEFAULT_CSS = """
    Picker { max-height: 10; }
    Picker AutoCompleteList { max-width: 80; }
    """

    def __init__(self, target: Input | str, lookup: Lookup, **kwargs) -> None:
        # Tab takes the match AND moves on (a picked field is finished); Enter only takes it.
        super().__init__(target, candidates=None, prevent_default_tab=False, **kwargs)
        self.lookup = lookup

    def get_search_string(self, target_state: TargetState) -> str:
        return target_state.text

    def get_candidates(self, target_state: TargetState) -> list[DropdownItem]:
        text = target_state.text.strip()
        if not text:
            return []
        return [PickItem(value, label) for value, label in self.lookup(text)[:MAX_MATCHES]]

    def get_matches(self, target_state: TargetState, candidates: list[DropdownItem],
                    search_string: str) -> list[DropdownItem]:
        return candidates  # the lookup has matched and ordered them already

    def post_completion(self) -> None:
        super().post_completion()
        # The completion is written with Changed suppressed; say it now, so that the form
        # reacts to a picked value as to a typed one (a service's name and grade shown).
        target = self.target
        target.post_message(Input.Changed(target, target.value))

    def should_show_dropdown(self, search_string: str) -> bool:
        options = self.option_list
        if not search_string.strip() or options.option_count == 0:
            return False
        if options.option_count == 1:
            only = options.get_option_at_index(0)
            # the field already holds the only match: nothing to pick
            return getattr(only, "value", None) != search_string.strip()
        return True


def words_match(values: Sequence[str]) -> Lookup:
    """A lookup over a list of names: names starting with the text first, then names that
    contain every word typed (any case); an exact name (any case) is offered alone."""

    def lookup(text: str) -> list[tuple[str, str]]:
        folded = text.casefold().strip()
        words = folded.split()
        exact = [v for v in values if v.casefold() == folded]
        if exact:
            return [(exact[0], exact[0])]
        starts = [v for v in values if v.casefold().startswith(folded)]
        rest = [v for v in values if v not in starts
                and all(w in v.casefold() for w in words)]
        return [(v, v) for v in starts + rest]

    return lookup


def service_lookup(db) -> Lookup:
    """Services by reference prefix or words of the name (the visit form's look-up)."""
    from sp_tui.reports.visits import find_services

    def lookup(text: str) -> list[tuple[str, str]]:
        found = find_services(db, text, MAX_MATCHES)
        if any(c.service_ref.casefold() == text.casefold() for c in found):
            return [(c.service_ref, c.label) for c in found
                    if c.service_ref.casefold() == text.casefold()]
        return [(c.service_ref, c.label) for c in found]

    return lookup
