"""Persisted operations: Apollo's automatic persisted queries and trusted (registered) documents.

A client sends ``extensions.persistedQuery = {version: 1, sha256Hash}``; if the server knows the
hash it runs the stored document, else it answers PERSISTED_QUERY_NOT_FOUND and the client (Apollo's
PersistedQueryLink, urql's persistedExchange) retries with the document and the hash, which is
checked and stored. Trusted documents are the repository's example operations, registered at start
by the sha256 of their text (what ``createPersistedQueryLink({sha256})`` computes) and of their
printed form (what code generators that print documents hash). With ``trusted_documents_only``
nothing else runs.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from cachetools import LRUCache
from graphql import GraphQLError, parse, print_ast

from graphql_api.api.errors import ErrorCode

from .http import GraphQLRequest, HTTPError

__all__ = ["PersistedQueries", "Resolution", "sha256_hex"]


def sha256_hex(text: str) -> str:
    """The lowercase hex sha256 of ``text`` (UTF-8), as Apollo's link computes it.

    >>> sha256_hex("{ __typename }")[:12]
    '7f56e67dd21a'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Resolution:
    """The request with its document filled in, and how the store was used (for metrics/logs)."""

    request: GraphQLRequest
    outcome: str  # "none" | "hit" | "registered" | "trusted"


class PersistedQueries:
    """The trusted documents plus a bounded store of automatically persisted ones."""

    def __init__(
        self,
        trusted: Mapping[str, str] | None = None,
        *,
        automatic: bool = True,
        trusted_only: bool = False,
        max_bytes: int = 8 * 1024 * 1024,
    ) -> None:
        self.trusted: dict[str, str] = {}
        for text in (trusted or {}).values():
            self.trusted[sha256_hex(text)] = text
            try:
                printed = print_ast(parse(text))
            except GraphQLError:
                continue
            self.trusted.setdefault(sha256_hex(printed), printed)
        # Trusted-only mode never stores what clients send.
        self.automatic = automatic and not trusted_only and max_bytes > 0
        self.trusted_only = trusted_only
        self._store: LRUCache[str, str] = LRUCache(
            maxsize=max(max_bytes, 1), getsizeof=lambda text: len(text) + 64
        )
        self._lock = threading.Lock()

    def lookup(self, digest: str) -> str | None:
        """The document registered under ``digest``, if any."""
        found = self.trusted.get(digest)
        if found is not None:
            return found
        with self._lock:
            return self._store.get(digest)

    def resolve(self, request: GraphQLRequest) -> Resolution:
        """Fill in or check the document of ``request``; raise HTTPError where the protocol says.

        PERSISTED_QUERY_NOT_FOUND and _NOT_SUPPORTED are answered with status 200, as Apollo
        Server does, so every version of Apollo's link reads them as GraphQL errors and retries.
        """
        digest = request.persisted_hash
        if digest is None and request.persisted_version_given:
            raise HTTPError(400, "`extensions.persistedQuery` needs a `sha256Hash` string.")
        if digest is None:
            if self.trusted_only and request.query is not None:
                if sha256_hex(request.query) not in self.trusted:
                    raise HTTPError(
                        400,
                        "Only the registered operations (schema/operations) run on this server.",
                        ErrorCode.OPERATION_NOT_TRUSTED,
                    )
                return Resolution(request, "trusted")
            return Resolution(request, "none")
        digest = digest.lower()
        if request.query is None:
            document = self.lookup(digest)
            if document is not None:
                return Resolution(request.with_query(document), "hit")
            if not self.automatic and not self.trusted_only:
                raise HTTPError(
                    200, "PersistedQueryNotSupported", ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED
                )
            raise HTTPError(200, "PersistedQueryNotFound", ErrorCode.PERSISTED_QUERY_NOT_FOUND)
        if sha256_hex(request.query) != digest:
            raise HTTPError(400, "The provided sha256Hash does not match the query.")
        if digest in self.trusted:
            return Resolution(request, "trusted")
        if self.trusted_only:
            raise HTTPError(
                400,
                "Only the registered operations (schema/operations) run on this server.",
                ErrorCode.OPERATION_NOT_TRUSTED,
            )
        if not self.automatic:
            raise HTTPError(
                200, "PersistedQueryNotSupported", ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED
            )
        with self._lock:
            self._store[digest] = request.query
        return Resolution(request, "registered")
