"""The framework-free packages import each other without circles (issue 14 §1)."""

from __future__ import annotations

import grimp

DOMAIN = (
    "carecover.backup",
    "carecover.pbj",
    "carecover.mds",
    "carecover.rating",
    "carecover.facility",
    "carecover.engines",
)


def test_no_module_of_the_domain_imports_a_module_that_imports_it_back() -> None:
    graph = grimp.build_graph("carecover")
    modules = {m for m in graph.modules if m.startswith(DOMAIN)}
    circles = []
    for module in sorted(modules):
        for imported in graph.find_modules_directly_imported_by(module) & modules:
            if imported != module and graph.chain_exists(importer=imported, imported=module):
                circles.append(graph.find_shortest_chain(importer=imported, imported=module))
    assert circles == []
