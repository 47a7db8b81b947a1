"""What it takes to flip a condition tree's outcome, from its typed nodes (explain_nodes): the fewest leaf
conditions that must change, with every equally short way kept (never the first one found).

A choice of bands (criteria.by_band) is told from the enterprise's own band: what fails inside that band first
(its R&D share below the band's minimum, with the margin), and moving to another band only as an alternative,
when it is no longer a way than staying. The count (`Need.cost`) is the fewest changes over all the ways, as
`criteria.conditions_short` counts it for a whole registry.
"""

from __future__ import annotations

from dataclasses import replace

from smeladder.rules.explain_nodes import ConditionNode, Group, Leaf, Need


def to_flip(node: ConditionNode) -> Need:
    """The fewest changes that flip `node`: a failing node to met, a met one to failing."""
    if isinstance(node, Leaf):
        return Need("leaf", 1, leaf=node)
    if node.mode == "bands" and not node.passed:
        return _bands(node)
    # Candidates are the children on the node's side: a failing all-of needs every failing child to pass, a
    # met any-of every met child to fail; the other two need one candidate, the cheapest.
    candidates = [child for child in node.children if child.passed == node.passed]
    ways = [to_flip(child) for child in candidates]
    if node.conjunctive != node.passed:
        return _all(ways)
    return _choice(ways, node, ties_only=True)


def requirements(node: ConditionNode) -> list[Need]:
    """What a failing tree lacks, as a letter tells it: every failing branch of an all-of on its own; for a
    failing any-of, each of its ways (in the order of the rule), each the fewest changes that would meet it;
    for bands, the enterprise's own band first."""
    if node.passed:
        return []
    if isinstance(node, Leaf):
        return [Need("leaf", 1, leaf=node)]
    if node.conjunctive:
        return [need for child in node.children if not child.passed for need in requirements(child)]
    if node.mode == "bands":
        return [_bands(node)]
    return [_choice([to_flip(child) for child in node.children], node, ties_only=False)]


def _all(ways: list[Need]) -> Need:
    parts: list[Need] = []
    for way in ways:
        parts += way.parts if way.kind == "all" and not way.band else [way]
    if len(parts) == 1:
        return parts[0]
    return Need("all", sum(part.cost for part in parts), parts=tuple(parts))


def _choice(ways: list[Need], node: Group, *, ties_only: bool) -> Need:
    cheapest = min(way.cost for way in ways)
    kept = [way for way in ways if way.cost == cheapest] if ties_only else ways
    if len(kept) == 1:
        return kept[0]
    return Need("choice", cheapest, parts=tuple(kept), label=node.label, label_zh=node.label_zh)


def _bands(node: Group) -> Need:
    """A failing choice of bands: stay in the own band and meet what it requires, or move to another band as
    an alternative when that is at most as short (its membership counts as changes too)."""
    ways = []
    for index, band in enumerate(node.children):
        assert isinstance(band, Group) and len(band.children) == 2
        own = index == node.own_band
        way = to_flip(band.children[1]) if own else to_flip(band)
        ways.append(replace(way, band="own" if own else "other", label=band.label, label_zh=band.label_zh))
    cheapest = min(way.cost for way in ways)
    if node.own_band is None:
        kept = [way for way in ways if way.cost == cheapest]
    else:
        own_way = ways[node.own_band]
        others = [way for way in ways if way is not own_way and way.cost <= own_way.cost]
        kept = [own_way, *sorted(others, key=lambda way: way.cost)]
    if len(kept) == 1 and kept[0].band == "own":
        return kept[0]
    return Need("choice", cheapest, parts=tuple(kept), label=node.label, label_zh=node.label_zh)
