"""Function code: check an uploaded zip, unpack it once per CodeSha256, and find it again.

Limits from https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (50 MB zipped direct upload,
250 MB unzipped). Code lives in <files_dir>/lambda/<account>/<region>/<name>/<sha256 hex>/ beside its zip.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InvalidParameterValueException, RequestEntityTooLargeException
from .models import code_root, code_sha256

MAX_ZIPPED = 50 * 1024 * 1024
MAX_UNZIPPED = 262144000
EMPTY_ZIP = "Uploaded file must be a non-empty zip"


@dataclass(frozen=True)
class StoredCode:
    sha256: str  # base64, as CodeSha256
    size: int
    code_dir: Path
    zip_path: Path


def store_zip(files_dir: Path, account: str, region: str, name: str, data: bytes) -> StoredCode:
    if len(data) > MAX_ZIPPED:
        raise RequestEntityTooLargeException("Request must be smaller than 70167211 bytes for the CreateFunction operation")
    if not data:
        raise InvalidParameterValueException(EMPTY_ZIP)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        bad = archive.testzip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        raise InvalidParameterValueException("Could not unzip uploaded file. Please check your file, then try to upload again.") from None
    if bad is not None:
        raise InvalidParameterValueException("Could not unzip uploaded file. Please check your file, then try to upload again.")
    unzipped = sum(i.file_size for i in infos)
    if unzipped == 0:  # no entries, or only empty files and folders: AWS refuses these too
        raise InvalidParameterValueException(EMPTY_ZIP)
    if unzipped > MAX_UNZIPPED:
        raise InvalidParameterValueException(f"Unzipped size must be smaller than {MAX_UNZIPPED} bytes")
    hex_digest = hashlib.sha256(data).hexdigest()
    root = code_root(files_dir, account, region, name)
    code_dir = root / hex_digest
    zip_path = root / f"{hex_digest}.zip"
    if not code_dir.is_dir():
        tmp = root / f".{hex_digest}.tmp{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        _extract(archive, infos, tmp)
        try:
            tmp.rename(code_dir)
        except OSError:  # another request unpacked the same code first
            shutil.rmtree(tmp, ignore_errors=True)
    if not zip_path.is_file():
        zip_path.write_bytes(data)
    return StoredCode(code_sha256(data), len(data), code_dir, zip_path)


def _extract(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], target: Path) -> None:
    base = target.resolve()
    for info in infos:
        dest = (target / info.filename).resolve()
        if base != dest and base not in dest.parents:
            raise InvalidParameterValueException("Could not unzip uploaded file. Please check your file, then try to upload again.")
        archive.extract(info, target)
        mode = (info.external_attr >> 16) & 0o777
        if mode and not info.is_dir():
            os.chmod(dest, mode | stat.S_IRUSR)


def remove_function_code(files_dir: Path, account: str, region: str, name: str) -> None:
    shutil.rmtree(code_root(files_dir, account, region, name), ignore_errors=True)


def read_zip(doc: dict[str, Any]) -> bytes:
    return Path(doc["zip_path"]).read_bytes()


def code_bytes(state: Any, account: str, region: str, code: dict[str, Any]) -> bytes:
    """The zip a Code / UpdateFunctionCode parameter names: inline ZipFile, or an S3 object."""
    if code.get("ZipFile") is not None:
        return code["ZipFile"]
    if code.get("ImageUri"):
        raise InvalidParameterValueException(
            "pocketcloud runs Zip functions only: container images (ImageUri) are not supported"
        )
    bucket, key = code.get("S3Bucket"), code.get("S3Key")
    if bucket and key:
        return read_s3_object(state, account, region, bucket, key, code.get("S3ObjectVersion"))
    raise InvalidParameterValueException("Please provide a source for function code.")


def read_s3_object(state: Any, account: str, region: str, bucket: str, key: str, version: str | None) -> bytes:
    """Function code from S3. Plugs into pocketcloud's S3 service once it exists (services/s3/objects.py:
    `read_object(state, *, account_id, region, bucket, key, version_id) -> bytes`)."""
    try:
        from pocketcloud.services.s3 import objects  # type: ignore[import-not-found]
    except ImportError:
        raise InvalidParameterValueException(
            f"pocketcloud does not serve S3 yet, so code cannot come from s3://{bucket}/{key}: upload the zip "
            "directly instead (ZipFile; aws CLI: --zip-file fileb://function.zip)"
        ) from None
    return objects.read_object(state, account_id=account, region=region, bucket=bucket, key=key, version_id=version)
