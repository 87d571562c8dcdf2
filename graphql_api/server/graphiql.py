"""The GraphiQL page served at ``/graphql`` to browsers, with the example operations as tabs.

Kept in its own module so the page's HTML (today a CDN build) can be replaced by the packaged
build without touching the HTTP view.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

__all__ = ["load_example_operations", "render_graphiql"]

_GRAPHIQL_TEMPLATE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>careergraph GraphiQL</title>
    <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
    <script crossorigin src="https://unpkg.com/react@18.2.0/umd/react.production.min.js"
      integrity="sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8"></script>
    <script crossorigin src="https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js"
      integrity="sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh"></script>
    <link crossorigin rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css"
      integrity="sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM" />
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL...</div>
    <script crossorigin src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"
      integrity="sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie"></script>
    <script id="careergraph-examples" type="application/json">__EXAMPLES__</script>
    <script>
      const examples = JSON.parse(
        document.getElementById("careergraph-examples").textContent
      );
      const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
      const tabs = examples.map(function (example) {
        return { query: example.query };
      });
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        React.createElement(GraphiQL, {
          fetcher: fetcher,
          defaultQuery: tabs.length ? tabs[0].query : undefined,
          defaultTabs: tabs.length ? tabs : undefined,
          defaultEditorToolsVisibility: true,
          inputValueDeprecation: true,
        })
      );
    </script>
  </body>
</html>
"""


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
    return _GRAPHIQL_TEMPLATE.replace("__EXAMPLES__", payload)


def load_example_operations(directory: Path) -> dict[str, str]:
    """Read ``*.graphql`` files in ``directory`` as {file stem: text}; empty if it is absent."""
    if not directory.is_dir():
        return {}
    return {
        path.stem: path.read_text(encoding="utf-8") for path in sorted(directory.glob("*.graphql"))
    }
