"""How many conditions an enterprise lacks (`conditions_short`): computed for a whole registry in SQL, it must agree
with the one-enterprise answer the letters give (`flips.to_flip`), for any rule shape; and every way the letters
list does flip the outcome."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smeladder.rules.criteria import (
    Condition,
    Group,
    all_of,
    any_of,
    band,
    by_band,
    conditions_short,
    is_true,
    leaves,
    outcome_tree,
)
from smeladder.rules.flips import requirements, to_flip


def _trees() -> st.SearchStrategy[Condition]:
    leaf = st.integers(0, 99).map(lambda n: is_true(f"v{n}", label=f"c{n}"))
    return st.recursive(
        leaf,
        lambda children: st.one_of(
            st.lists(children, min_size=1, max_size=4).map(lambda c: all_of(*c)),
            st.lists(children, min_size=1, max_size=4).map(lambda c: any_of(*c)),
            st.lists(st.tuples(children, children), min_size=2, max_size=3).map(
                lambda pairs: by_band(*(band(when, then=then) for when, then in pairs))
            ),
        ),
        max_leaves=12,
    )


def _holds(condition: Condition, met: dict[int, bool]) -> bool:
    if isinstance(condition, Group):
        results = [_holds(child, met) for child in condition.children]
        return all(results) if condition.conjunctive else any(results)
    return met[id(condition)]


@given(tree=_trees(), outcomes=st.lists(st.booleans(), min_size=12, max_size=12))
def test_short_is_zero_exactly_when_the_rule_holds_and_counts_the_letters_conditions(tree, outcomes):
    met = {id(leaf): outcomes[index % len(outcomes)] for index, leaf in enumerate(leaves(tree))}
    _LEAVES.clear()
    for index, leaf in enumerate(leaves(tree)):
        leaf.label = f"leaf {index}"  # each leaf its own name, to map the typed nodes back
        _LEAVES[leaf.label] = leaf
    short = conditions_short(tree, met)
    assert (short == 0) == _holds(tree, met)
    if short:
        # The letter names the fewest conditions to change; the batch count is that number.
        need = to_flip(outcome_tree(tree, met))
        assert need.cost == short
        # Every way it lists flips the rule; the shortest of them is exactly that many changes.
        ways = _ways(need)
        assert min(len(way) for way in ways) == short
        for way in ways:
            flipped = met | {leaf: not met[leaf] for leaf in way}
            assert _holds(tree, flipped)
        for requirement in requirements(outcome_tree(tree, met)):
            assert requirement.cost >= 1


def _ways(need) -> list[set]:
    """The sets of leaf conditions a need names, one per way (a choice expands into its ways)."""
    if need.leaf is not None:
        return [{_condition_of(need.leaf)}]
    expanded = [_ways(part) for part in need.parts]
    if need.kind == "choice":
        return [way for ways in expanded for way in ways]
    combined = [set()]
    for ways in expanded:
        combined = [done | way for done in combined for way in ways]
    return combined


def _condition_of(leaf):
    return id(_LEAVES[leaf.label])


_LEAVES: dict = {}


def test_an_alternative_costs_its_cheapest_way():
    a, b, c = is_true("a"), is_true("b"), is_true("c")
    rule = all_of(a, any_of(b, all_of(c, is_true("d"))))
    met = {id(leaf): False for leaf in leaves(rule)}
    # a, and then b alone (1) rather than c and d (2).
    assert conditions_short(rule, met) == 2
    assert conditions_short(rule, met | {id(a): True}) == 1
    assert conditions_short(rule, met | {id(a): True, id(b): True}) == 0
