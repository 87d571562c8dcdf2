"""Browser pages: the bundled GraphiQL's assets, the ``/compare`` reference page, their CSP.

The pages are built from ``frontend/`` (pinned npm lockfile, ``scripts/build_frontend``) into
``graphql_api/static/`` and ship in the package, so they need no CDN and no Node at run time.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "COMPARE_PATH",
    "CONTENT_SECURITY_POLICY",
    "PACKAGED_OPERATIONS",
    "STATIC",
    "PageHeaders",
    "example_operations_dir",
    "page_routes",
]

COMPARE_PATH = "/compare"
STATIC = Path(__file__).resolve().parent.parent / "static"
# The example operations as shipped in the package: the build copies schema/operations here, so
# an installed wheel (which has no schema/ folder) still opens them as GraphiQL tabs.
PACKAGED_OPERATIONS = STATIC / "operations"

# What the built pages need and nothing more: every script, style, font and worker is a file
# under /static on this origin, and the pages call only this origin's /graphql. No script runs
# inline. Monaco (GraphiQL 5's editor) adds <style> elements at run time, hence 'unsafe-inline'
# for styles only; the data: fonts and images are inside GraphiQL's own stylesheet.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
_PAGE_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
# Content-hashed file names never change content, so browsers and CDNs may keep them for good.
_IMMUTABLE = "public, max-age=31536000, immutable"


def example_operations_dir(checkout: Path) -> Path:
    """``checkout`` (a source tree's ``schema/operations``) when present, else the packaged copy.

    >>> example_operations_dir(Path("/nonexistent")) == PACKAGED_OPERATIONS
    True
    """
    return checkout if checkout.is_dir() else PACKAGED_OPERATIONS


class PageHeaders:
    """ASGI middleware: every HTML response gets the pages' Content-Security-Policy.

    One rule for all pages, whichever route renders them (GraphiQL comes from the GraphQL view).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            # A scan of the raw headers first: most responses are JSON and need no change.
            if message["type"] == "http.response.start" and any(
                name.lower() == b"content-type" and value.startswith(b"text/html")
                for name, value in message.get("headers", ())
            ):
                headers = MutableHeaders(scope=message)
                for name, value in _PAGE_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _Assets(StaticFiles):
    """Built assets: cached for good (their names carry a content hash), never sniffed."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = _IMMUTABLE
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def page_routes(static: Path = STATIC) -> list[BaseRoute]:
    """``/compare``, ``/static/assets/*`` and the bundled licences, to add to the app's routes."""
    compare_html = (static / "compare.html").read_text(encoding="utf-8")

    async def compare(_: Request) -> Response:
        # The page's assets are immutable; the page itself names them, so it is revalidated.
        return HTMLResponse(compare_html, headers={"Cache-Control": "no-cache"})

    async def licences(_: Request) -> Response:
        return FileResponse(
            static / "THIRD_PARTY_LICENSES.md",
            media_type="text/markdown; charset=utf-8",
            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"},
        )

    return [
        Route(COMPARE_PATH, compare, methods=["GET", "HEAD"]),
        Route("/static/THIRD_PARTY_LICENSES.md", licences, methods=["GET", "HEAD"]),
        Mount("/static/assets", app=_Assets(directory=static / "assets"), name="static-assets"),
    ]
