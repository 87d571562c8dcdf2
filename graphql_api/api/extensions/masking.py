"""Mask internal errors as "Unexpected error." while errors meant for clients pass through."""

from __future__ import annotations

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from graphql_api.api.errors import ErrorCode, is_public_error

__all__ = ["MASKED_MESSAGE", "MaskInternalErrors", "mask_error", "should_mask_error"]

MASKED_MESSAGE = "Unexpected error."


def should_mask_error(error: GraphQLError) -> bool:
    """Whether ``error`` is internal (see :func:`graphql_api.api.errors.is_public_error`)."""
    return not is_public_error(error)


def mask_error(error: GraphQLError) -> GraphQLError:
    """The client-facing copy of an internal error: location and path kept, detail dropped."""
    return GraphQLError(
        MASKED_MESSAGE,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": str(ErrorCode.INTERNAL_SERVER_ERROR)},
    )


class MaskInternalErrors(MaskErrors):
    """Strawberry's MaskErrors with our public/internal split and an INTERNAL_SERVER_ERROR code.

    Strawberry's ``Schema.process_errors`` has already logged the original error with its
    traceback before this runs, so nothing is lost server-side.
    """

    def __init__(self) -> None:
        super().__init__(should_mask_error=should_mask_error, error_message=MASKED_MESSAGE)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        """Replace the message and drop the original exception and its extensions."""
        return mask_error(error)
