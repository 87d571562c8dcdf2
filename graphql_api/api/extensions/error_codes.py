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

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from graphql_api.api.errors import ErrorCode

__all__ = ["ErrorCodes", "strip_suggestions"]

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
            code = (
                ErrorCode.GRAPHQL_PARSE_FAILED
                if isinstance(error, GraphQLSyntaxError)
                else ErrorCode.GRAPHQL_VALIDATION_FAILED
            )
            _set_code(error, code)

    def on_operation(self) -> Iterator[None]:
        """After the operation: syntax errors, and request errors raised while coercing variables."""
        yield
        result = self.execution_context.result
        errors = list(self.execution_context.pre_execution_errors or ())
        if result is not None and result.errors:
            errors.extend(result.errors)
        nothing_ran = result is None or result.data is None
        for error in self._uncoded(errors):
            if isinstance(error, GraphQLSyntaxError):
                _set_code(error, ErrorCode.GRAPHQL_PARSE_FAILED)
            elif nothing_ran and error.path is None:
                # Variable coercion happens inside execution, before any field resolves.
                _set_code(error, ErrorCode.BAD_USER_INPUT)
