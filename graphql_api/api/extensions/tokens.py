"""Refuse oversized documents before parsing: raw size, lexical tokens and bracket nesting.

Kept instead of graphql-core's ``parse(max_tokens=...)`` (and Strawberry's ``MaxTokensLimiter``,
which passes it on) because it does more in the same single lexer pass: it bounds bracket nesting,
which graphql-core does not (its recursive parser would hit Python's recursion limit on
``{a{a{a...``), refuses a document by size before lexing at all, and reports each refusal with its
own code (graphql-core reports the token limit as an uncoded syntax error). Parsed documents are
cached by text, as Strawberry's ``ParserCache`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache, lru_cache

from graphql import DocumentNode, GraphQLSyntaxError, Source, TokenKind, parse
from graphql.language import Lexer
from strawberry.extensions import SchemaExtension

from graphql_api.api.errors import ErrorCode, limit_exceeded

__all__ = ["MAX_NESTING", "TokenLimiter", "parse_limited"]

# Brackets ({, [, () nested deeper than this are refused before parsing: graphql-core's parser
# recurses several frames per level and would otherwise hit Python's recursion limit on a
# document like "{a{a{a...". No real operation comes near it.
MAX_NESTING = 64

_OPENERS = frozenset({TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L})
_CLOSERS = frozenset({TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R})


def _check_tokens(query: str, max_tokens: int) -> None:
    lexer = Lexer(Source(query))
    count = 0
    nesting = 0
    try:
        token = lexer.advance()
        while token.kind is not TokenKind.EOF:
            count += 1
            if count > max_tokens:
                # Counting stops here, so a huge document costs max_tokens tokens of lexing.
                raise limit_exceeded(
                    ErrorCode.TOO_MANY_TOKENS, "the token limit", limit=max_tokens, actual=count
                )
            if token.kind in _OPENERS:
                nesting += 1
                if nesting > MAX_NESTING:
                    raise limit_exceeded(
                        ErrorCode.QUERY_TOO_DEEP,
                        "the bracket nesting limit",
                        limit=MAX_NESTING,
                        actual=nesting,
                    )
            elif token.kind in _CLOSERS:
                nesting -= 1
            token = lexer.advance()
    except GraphQLSyntaxError:
        # The parser reports the same syntax error with its usual message.
        return


def _parse_limited(query: str, max_tokens: int, max_bytes: int) -> DocumentNode:
    # len() first: a character is at least one byte, so this refuses the worst cases unencoded.
    size = len(query)
    if size > max_bytes or (size := len(query.encode("utf-8"))) > max_bytes:
        raise limit_exceeded(
            ErrorCode.DOCUMENT_TOO_LARGE,
            "the document size limit (bytes)",
            limit=max_bytes,
            actual=size,
        )
    _check_tokens(query, max_tokens)
    return parse(query)


@cache
def _cached_parser(maxsize: int) -> Callable[[str, int, int], DocumentNode]:
    # One LRU per size, shared by every per-request extension instance (as ParserCache does).
    # lru_cache does not store exceptions, so refused documents are never cached.
    return lru_cache(maxsize=maxsize)(_parse_limited)


def parse_limited(
    query: str, *, max_tokens: int, max_bytes: int, cache_size: int = 512
) -> DocumentNode:
    """Parse ``query`` after checking its size, token count and nesting; cached by text.

    Raises a GraphQLError with ``extensions.code`` DOCUMENT_TOO_LARGE, TOO_MANY_TOKENS or
    QUERY_TOO_DEEP (nesting), or graphql-core's GraphQLSyntaxError.

    >>> parse_limited("{ a }", max_tokens=3, max_bytes=100).definitions[0].operation.value
    'query'
    """
    return _cached_parser(cache_size)(query, max_tokens, max_bytes)


class TokenLimiter(SchemaExtension):
    """Parse documents through :func:`parse_limited`; replaces Strawberry's ``ParserCache``.

    Pass as a factory: ``lambda: TokenLimiter(max_tokens=5000, max_bytes=100_000)``.
    """

    def __init__(self, *, max_tokens: int, max_bytes: int, cache_size: int = 512) -> None:
        self.max_tokens = max_tokens
        self.max_bytes = max_bytes
        self.cache_size = cache_size

    def on_parse(self) -> Iterator[None]:
        """Set the parsed document before Strawberry would parse it unchecked."""
        context = self.execution_context
        if context.graphql_document is None and context.query:
            try:
                context.graphql_document = parse_limited(
                    context.query,
                    max_tokens=self.max_tokens,
                    max_bytes=self.max_bytes,
                    cache_size=self.cache_size,
                )
            except GraphQLSyntaxError as error:
                # Raised here, the error leaves Strawberry's operation without passing the
                # other extensions' hooks, so it gets its code now.
                error.extensions = {**(error.extensions or {}), "code": "GRAPHQL_PARSE_FAILED"}
                raise
        yield
