"""The rule that hides small published counts, and the second count it hides beside one hidden alone."""

from __future__ import annotations

from bot.small_cells import hidden


def test_counts_below_the_minimum_are_hidden_zero_included() -> None:
    assert hidden({"a": 7, "b": 4, "c": 0, "d": 5}, [], 5) == {"b", "c"}


def test_one_hidden_alone_in_a_group_takes_the_smallest_other_with_it() -> None:
    # Shown with their total (17), 12 + 3: the 3 would be 17 - 12; so the 12 goes too.
    assert hidden({"a": 12, "b": 3, "c": 40}, [["a", "b"]], 5) == {"a", "b"}
    assert hidden({"a": 12, "b": 3, "c": 9}, [["a", "b", "c"]], 5) == {"b", "c"}


def test_a_second_hiding_that_leaves_another_group_with_one_alone_goes_on() -> None:
    # A row (r1: x y) and a column (x z): hiding y hides x, which leaves z alone in its column.
    counts = {"x": 6, "y": 2, "z": 9, "w": 30}
    assert hidden(counts, [["x", "y"], ["x", "z"]], 5) == {"x", "y", "z"}


def test_a_group_with_none_or_two_hidden_is_left_alone() -> None:
    assert hidden({"a": 6, "b": 7}, [["a", "b"]], 5) == set()
    assert hidden({"a": 1, "b": 2, "c": 9}, [["a", "b", "c"]], 5) == {"a", "b"}


def test_a_key_only_in_a_group_counts_as_none() -> None:
    assert hidden({"a": 9}, [["a", "b"]], 5) == {"a", "b"}
