"""The `pocketcloud` command line: `up` serves every service on one port."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from pocketcloud import __version__
from pocketcloud.config import Config, from_environment


def _up(args: argparse.Namespace, config: Config) -> int:
    from pocketcloud.server.app import App

    config = config.with_overrides(
        host=args.host, port=args.port, data_dir=Path(args.data_dir) if args.data_dir else None,
        in_memory=True if args.in_memory else None, log_level=args.log_level,
    )
    from pocketcloud.server.log_output import LoopBatchedHandler, SecondsFormatter, quiet_records

    handler = LoopBatchedHandler()
    handler.setFormatter(SecondsFormatter("%(asctime)s %(levelname)-5s %(name)s: %(message)s", "%H:%M:%S"))
    logging.basicConfig(level=config.log_level.upper(), handlers=[handler])
    quiet_records()
    app = App(config)
    where = "in memory (nothing is kept)" if config.in_memory else f"data in {config.data_dir.resolve()}"
    print(
        f"pocketcloud {__version__} on {config.endpoint_url} — {where}\n"
        f"  point the aws CLI, boto3 and the JS SDK at it: export AWS_ENDPOINT_URL={config.endpoint_url}",
        flush=True,
    )
    if args.server == "pocketcloud":
        from pocketcloud.server import http

        return http.run(app, config.host, config.port)
    import uvicorn  # the ASGI path: App as any ASGI server runs it

    uvicorn.run(
        app, host=config.host, port=config.port, log_level="warning", access_log=False,
        loop="uvloop" if sys.platform != "win32" else "asyncio", http="httptools", lifespan="on",
        timeout_keep_alive=30,
    )
    return 0


def _logs(args: argparse.Namespace, config: Config) -> int:
    from pocketcloud.services.logs import tail

    import os

    endpoint = args.endpoint or os.environ.get("AWS_ENDPOINT_URL") or config.endpoint_url
    region = args.region or os.environ.get("AWS_DEFAULT_REGION") or config.region
    colour = {"auto": None, "always": True, "never": False}[args.color]
    return tail.run(args.function, endpoint=endpoint, region=region, follow=args.follow, since=args.since, colour=colour)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pocketcloud", description="The AWS serverless backend stack on your machine.")
    parser.add_argument("--version", action="version", version=f"pocketcloud {__version__}")
    sub = parser.add_subparsers(dest="command")
    up = sub.add_parser("up", help="serve every service on one port")
    up.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    up.add_argument("--port", type=int, help="port to listen on (default 4566)")
    up.add_argument("--data-dir", help="where data is kept (default ./.pocketcloud)")
    up.add_argument("--in-memory", action="store_true", help="keep nothing on disk (throwaway runs)")
    up.add_argument("--log-level", choices=["debug", "info", "warning", "error"], help="log verbosity (default info)")
    up.add_argument("--server", choices=["pocketcloud", "uvicorn"], default="pocketcloud",
                    help="HTTP server: pocketcloud's own (default) or uvicorn running the ASGI app")
    up.set_defaults(run=_up)
    logs = sub.add_parser("logs", help="print a function's logs (/aws/lambda/<function>), -f to follow")
    logs.add_argument("function", help="function name (or a log group name starting with /)")
    logs.add_argument("-f", "--follow", action="store_true", help="keep printing new events")
    logs.add_argument("--since", default="1h", help="how far back to start: 30s, 10m, 2h, 1d (default 1h)")
    logs.add_argument("--endpoint", help="pocketcloud's URL (default $AWS_ENDPOINT_URL or http://127.0.0.1:4566)")
    logs.add_argument("--region", help="region (default $AWS_DEFAULT_REGION or us-east-1)")
    logs.add_argument("--color", choices=["auto", "always", "never"], default="auto", help="colour output")
    logs.set_defaults(run=_logs)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    return int(args.run(args, from_environment()) or 0)


if __name__ == "__main__":
    sys.exit(main())
