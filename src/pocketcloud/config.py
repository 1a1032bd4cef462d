"""Settings: the one place that reads the environment. Command-line flags override these."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path


def _env(name: str, default: str) -> str:
    return os.environ.get(f"POCKETCLOUD_{name}", default)


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 4566
    data_dir: Path = Path(".pocketcloud")
    in_memory: bool = False
    account_id: str = "000000000000"
    region: str = "us-east-1"
    log_level: str = "info"
    sqlite_synchronous: str = "NORMAL"
    ttl_sweep_seconds: float = 30.0
    function_idle_seconds: float = 300.0
    # The URL functions use to reach pocketcloud; defaults to http://<host>:<port>.
    public_url: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def endpoint_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"

    def with_overrides(self, **kwargs: object) -> Config:
        return replace(self, **{k: v for k, v in kwargs.items() if v is not None})


def from_environment() -> Config:
    return Config(
        host=_env("HOST", "127.0.0.1"),
        port=int(_env("PORT", "4566")),
        data_dir=Path(_env("DATA_DIR", ".pocketcloud")),
        in_memory=_env("IN_MEMORY", "") in ("1", "true", "yes"),
        account_id=_env("ACCOUNT_ID", "000000000000"),
        region=_env("REGION", os.environ.get("AWS_DEFAULT_REGION", "us-east-1")),
        log_level=_env("LOG_LEVEL", "info"),
        sqlite_synchronous=_env("SQLITE_SYNCHRONOUS", "NORMAL").upper(),
        ttl_sweep_seconds=float(_env("TTL_SWEEP_SECONDS", "30")),
        function_idle_seconds=float(_env("FUNCTION_IDLE_SECONDS", "300")),
        public_url=_env("PUBLIC_URL", ""),
    )
