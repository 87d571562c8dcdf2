"""The GraphiQL page served at ``/graphql`` to browsers, with the example operations as tabs.

The page is GraphiQL 5 bundled from npm into ``graphql_api/static/`` (see ``frontend/``): no CDN,
so it works offline and under the Content-Security-Policy that ``pages.PageHeaders`` sets.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from .pages import STATIC

__all__ = ["load_example_operations", "render_graphiql"]

# The built page (frontend/graphiql.html, bundled by scripts/build_frontend) has this empty slot.
_EXAMPLES_SLOT = '<script id="careergraph-examples" type="application/json">[]</script>'


def render_graphiql(example_operations: Mapping[str, str]) -> str:
    """The GraphiQL page, opening one tab per example operation (name order kept).

    The examples travel as JSON inside a non-executed script element, with ``<``, ``>`` and
    ``&`` escaped so no document text can close the element.

    >>> "</script><b>" in render_graphiql({"x": "# </script><b>"})
    False
    """
    examples = [{"name": name, "query": text} for name, text in example_operations.items()]
    payload = (
        json.dumps(examples, ensure_ascii=False)
        .replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
    )
    template = (STATIC / "graphiql.html").read_text(encoding="utf-8")
    if _EXAMPLES_SLOT not in template:  # pragma: no cover - a broken build
        raise RuntimeError(f"{STATIC / 'graphiql.html'} has no slot for the example operations")
    return template.replace(_EXAMPLES_SLOT, _EXAMPLES_SLOT.replace(">[]<", f">{payload}<"))


def load_example_operations(directory: Path) -> dict[str, str]:
    """Read ``*.graphql`` files in ``directory`` as {file stem: text}; empty if it is absent."""
    if not directory.is_dir():
        return {}
    return {
        path.stem: path.read_text(encoding="utf-8") for path in sorted(directory.glob("*.graphql"))
    }
