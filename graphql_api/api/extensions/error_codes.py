"""Give every error a client can see an ``extensions.code``, as Apollo clients expect.

graphql-core's own errors carry none; this extension names them after the stage that refused
the request: ``GRAPHQL_PARSE_FAILED`` (syntax), ``GRAPHQL_VALIDATION_FAILED`` (validation, which
includes a wrong enum literal), ``BAD_USER_INPUT`` (variables that do not coerce). Codes already
set (NOT_FOUND, the limits, INTERNAL_SERVER_ERROR) are kept. With field suggestions off it also
drops every "Did you mean ...?" graphql-core writes (unknown fields, arguments, types, enum values,
in validation and in variable coercion), where Strawberry's ``disable_field_suggestions`` covers
only unknown fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from graphql import AbortedGraphQLExecutionError, GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from graphql_api.api.errors import ErrorCode, is_public_error

from .masking import mask_error

__all__ = ["ErrorCodes", "client_error", "stage_code", "strip_suggestions"]

_SUGGESTION = re.compile(r"\s*Did you mean .*\Z", re.DOTALL)


def strip_suggestions(message: str) -> str:
    """``message`` without graphql-core's trailing "Did you mean ...?" sentence.

    >>> strip_suggestions("Cannot query field 'titel' on type 'Occupation'. Did you mean 'title'?")
    "Cannot query field 'titel' on type 'Occupation'."
    """
    return _SUGGESTION.sub("", message)


def _set_code(error: GraphQLError, code: ErrorCode) -> None:
    extensions = dict(error.extensions or {})
    extensions.setdefault("code", str(code))
    error.extensions = extensions


def stage_code(error: GraphQLError, *, nothing_ran: bool, validating: bool = False) -> ErrorCode:
    """The code of an uncoded graphql-core error, from the stage that raised it.

    >>> stage_code(GraphQLError("Variable '$n' got invalid value"), nothing_ran=True)
    <ErrorCode.BAD_USER_INPUT: 'BAD_USER_INPUT'>
    """
    if isinstance(error, GraphQLSyntaxError):
        return ErrorCode.GRAPHQL_PARSE_FAILED
    if validating:
        return ErrorCode.GRAPHQL_VALIDATION_FAILED
    if nothing_ran and error.path is None:
        # Variable coercion happens inside execution, before any field resolves.
        return ErrorCode.BAD_USER_INPUT
    return ErrorCode.INTERNAL_SERVER_ERROR


def client_error(
    error: GraphQLError, *, nothing_ran: bool, field_suggestions: bool = True
) -> GraphQLError:
    """The form of ``error`` a client may see: coded, masked if internal, unwrapped if aborted.

    graphql-core rejects an operation stopped by its abort signal (the time limit) with an
    AbortedGraphQLExecutionError whose reason is our coded error; Strawberry wraps it without
    extensions, so the reason is what the client gets. Used by the HTTP view for every error,
    including those raised where no extension hook runs (parsing, aborted execution).
    """
    original = error.original_error
    if isinstance(original, AbortedGraphQLExecutionError) and isinstance(
        original.reason, GraphQLError
    ):
        return original.reason
    if not is_public_error(error):
        return mask_error(error)
    if not (error.extensions or {}).get("code"):
        if not field_suggestions:
            error.message = strip_suggestions(error.message)
        _set_code(error, stage_code(error, nothing_ran=nothing_ran))
    return error


class ErrorCodes(SchemaExtension):
    """Code graphql-core's errors by stage; list it first so it sees every other extension's errors.

    Pass as a factory: ``lambda: ErrorCodes(field_suggestions=True)``.
    """

    def __init__(self, *, field_suggestions: bool = True) -> None:
        self.field_suggestions = field_suggestions

    def _uncoded(self, errors: Iterable[GraphQLError] | None) -> Iterator[GraphQLError]:
        for error in errors or ():
            if not self.field_suggestions and not (error.extensions or {}).get("code"):
                error.message = strip_suggestions(error.message)
            if not (error.extensions or {}).get("code"):
                yield error

    def on_validate(self) -> Iterator[None]:
        """After validation (and the cost check), code what it refused."""
        yield
        for error in self._uncoded(self.execution_context.pre_execution_errors):
            _set_code(error, stage_code(error, nothing_ran=True, validating=True))

    def on_operation(self) -> Iterator[None]:
        """After the operation: syntax errors, and request errors raised while coercing variables."""
        yield
        result = self.execution_context.result
        errors = list(self.execution_context.pre_execution_errors or ())
        if result is not None and result.errors:
            errors.extend(result.errors)
        nothing_ran = result is None or result.data is None
        for error in self._uncoded(errors):
            code = stage_code(error, nothing_ran=nothing_ran)
            if code is not ErrorCode.INTERNAL_SERVER_ERROR:
                _set_code(error, code)
