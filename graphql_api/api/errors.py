"""GraphQL errors the API means clients to see, each carrying an ``extensions.code``."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from enum import StrEnum

from graphql import AbortedGraphQLExecutionError, GraphQLError, Node

__all__ = [
    "MAX_TEXT_LENGTH",
    "PUBLIC_CODES",
    "ErrorCode",
    "bad_user_input",
    "check_text",
    "coded_error",
    "is_public_error",
    "limit_exceeded",
    "not_found",
]


class ErrorCode(StrEnum):
    """Values of ``extensions.code`` in our error responses.

    The first group are the codes Apollo Server uses (its clients switch on them); the rest are
    careergraph's own.
    """

    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    BAD_REQUEST = "BAD_REQUEST"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
    OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE"
    NOT_FOUND = "NOT_FOUND"
    # A mutation or subscription: the API is read-only.
    OPERATION_NOT_SUPPORTED = "OPERATION_NOT_SUPPORTED"
    # trusted_documents_only is on and the document is not one of the registered operations.
    OPERATION_NOT_TRUSTED = "OPERATION_NOT_TRUSTED"
    EXECUTION_TIMEOUT = "EXECUTION_TIMEOUT"
    RATE_LIMITED = "RATE_LIMITED"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
    DOCUMENT_TOO_LARGE = "DOCUMENT_TOO_LARGE"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


# Codes whose message was written for the client; other errors raised in resolvers are masked.
PUBLIC_CODES: frozenset[str] = frozenset(
    code for code in ErrorCode if code is not ErrorCode.INTERNAL_SERVER_ERROR
)


def coded_error(
    message: str,
    code: ErrorCode,
    *,
    nodes: Node | Collection[Node] | None = None,
    **extensions: object,
) -> GraphQLError:
    """Build a GraphQLError whose ``extensions`` hold ``code`` and any further keys.

    >>> coded_error("gone", ErrorCode.NOT_FOUND, id="x").extensions
    {'code': 'NOT_FOUND', 'id': 'x'}
    """
    return GraphQLError(message, nodes=nodes, extensions={"code": str(code), **extensions})


_ECHO = 100
# Job titles, codes and names are short; longer text is refused before any search runs.
MAX_TEXT_LENGTH = 200


def check_text(argument: str, value: str) -> None:
    """Refuse a text argument longer than any title, naming the argument.

    >>> check_text("text", "nurse")
    """
    if len(value) > MAX_TEXT_LENGTH:
        raise bad_user_input(argument, f"is {len(value)} characters; at most {MAX_TEXT_LENGTH}")


def not_found(kind: str, identifier: str, *, suggestions: Sequence[str] = ()) -> GraphQLError:
    """An error for an identifier that names nothing, with close matches as suggestions.

    >>> not_found("occupation", "nurse", suggestions=["29-1141.00"]).message
    "No occupation matches 'nurse'. Did you mean: 29-1141.00?"
    """
    # Echo at most a line of what was sent: the identifier can be as long as the request allows.
    shown = identifier if len(identifier) <= _ECHO else identifier[:_ECHO] + "…"
    message = f"No {kind} matches {shown!r}."
    if suggestions:
        message += f" Did you mean: {', '.join(suggestions)}?"
    return coded_error(
        message,
        ErrorCode.NOT_FOUND,
        kind=kind,
        identifier=shown,
        suggestions=list(suggestions),
    )


def bad_user_input(argument: str, problem: str) -> GraphQLError:
    """An error for an argument value we refuse, naming the argument.

    >>> bad_user_input("first", "must be at most 100").message
    "Argument 'first' must be at most 100."
    """
    return coded_error(
        f"Argument {argument!r} {problem.rstrip('.')}.", ErrorCode.BAD_USER_INPUT, argument=argument
    )


def limit_exceeded(
    code: ErrorCode, limit_name: str, *, limit: int, actual: int, nodes: Node | None = None
) -> GraphQLError:
    """An error refusing a document before execution, naming the limit and both numbers.

    >>> limit_exceeded(ErrorCode.QUERY_TOO_DEEP, "maximum depth", limit=2, actual=3).message
    'Query refused: maximum depth is 2, this document has 3.'
    """
    return coded_error(
        f"Query refused: {limit_name} is {limit}, this document has {actual}.",
        code,
        nodes=nodes,
        limit=limit,
        actual=actual,
    )


def is_public_error(error: GraphQLError) -> bool:
    """Whether ``error`` may reach a client as is (it is about the request, or was meant for it).

    Errors with a public code pass; so do graphql-core's own request errors (syntax, validation,
    variable coercion), which point at the document and carry no path. An exception raised while
    resolving a field, or anywhere without a location in the document, is internal.
    """
    code = error.extensions.get("code") if error.extensions else None
    if code in PUBLIC_CODES:
        return True
    if code == ErrorCode.INTERNAL_SERVER_ERROR:
        return False
    original = error.original_error
    if original is None:
        return True
    # The time limit stops execution through graphql-core's abort signal; its reason is ours.
    if isinstance(original, AbortedGraphQLExecutionError) and isinstance(
        original.reason, GraphQLError
    ):
        return is_public_error(original.reason)
    if error.path is None and error.nodes:
        return True
    if isinstance(original, GraphQLError) and original is not error:
        return is_public_error(original)
    return False
