"""The HTTP service: GraphQL over HTTP (Starlette + uvicorn), GraphiQL, health, metrics.

Modules: ``http`` (reading requests, negotiation, coded HTTP errors), ``view`` (the /graphql
endpoint), ``persisted`` (APQ and trusted documents), ``caching`` (response cache, ETags),
``rate_limit``, ``metrics``, ``observability`` (access logs, tracing), ``graphiql`` (the page),
``app`` (app factory, lifespan, ``run``).
"""

from __future__ import annotations

from graphql_api.graph.loaded import LoadedSnapshot

from .app import app_factory, create_app, reload_snapshot, run
from .graphiql import load_example_operations, render_graphiql
from .http import APPLICATION_JSON, GRAPHQL_RESPONSE_JSON
from .state import AppState, ContextFactory, SchemaFactory, SnapshotLoader
from .view import GraphQLView

__all__ = [
    "APPLICATION_JSON",
    "GRAPHQL_RESPONSE_JSON",
    "AppState",
    "ContextFactory",
    "GraphQLView",
    "LoadedSnapshot",
    "SchemaFactory",
    "SnapshotLoader",
    "app_factory",
    "create_app",
    "load_example_operations",
    "reload_snapshot",
    "render_graphiql",
    "run",
]
