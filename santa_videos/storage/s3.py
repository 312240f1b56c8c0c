"""The store as a bucket of an S3-compatible object store, through boto3.

An object appears whole or not at all: a PUT is atomic, and a multipart upload is invisible until it completes
(the cleanup aborts the ones a dead writer left). Servers other than AWS get what they commonly need: signature v4,
path-style addressing, and checksums only where the API requires them. A connection that fails (the server
restarting, a network blip) is retried for `retry_seconds` before the error reaches the step.
"""

import shutil
import time
import uuid
from pathlib import Path

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

from santa_videos.media.files import atomic_path
from santa_videos.storage.objects import Removed, StoredObject

MISSING = ("404", "NoSuchKey", "NotFound")
TRANSIENT_CODES = ("500", "502", "503", "504", "InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout")
CHUNK = 1024 * 1024


class StoreUnavailable(RuntimeError):
    """The object store did not answer within the retry budget."""


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _client(endpoint_url: str, region: str, access_key_id: str, secret_access_key: str, session_token: str):
    session = boto3.session.Session(
        aws_access_key_id=access_key_id or None, aws_secret_access_key=secret_access_key or None,
        aws_session_token=session_token or None, region_name=region or None,
    )
    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": "path" if endpoint_url else "auto"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        retries={"mode": "standard", "max_attempts": 3},
        connect_timeout=10,
        read_timeout=60,
    )
    return session.client("s3", endpoint_url=endpoint_url or None, config=config)


class S3Backend:
    def __init__(
        self, bucket: str, prefix: str, endpoint_url: str = "", region: str = "", access_key_id: str = "",
        secret_access_key: str = "", session_token: str = "", link_seconds: int = 900, retry_seconds: float = 60,
        link_endpoint_url: str = "", multipart_threshold: int = 64 * 1024 * 1024,
    ):
        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.link_seconds, self.retry_seconds = link_seconds, retry_seconds
        credentials = (region, access_key_id, secret_access_key, session_token)
        self.client = _client(endpoint_url, *credentials)
        # Links are signed for the host that will be asked; a public name may differ from the workers' one.
        self.link_client = _client(link_endpoint_url, *credentials) if link_endpoint_url else self.client
        # Single-threaded transfers: a terminated step is interrupted at once, with no transfer thread left behind.
        self.transfer = TransferConfig(
            use_threads=False, multipart_threshold=multipart_threshold, multipart_chunksize=max(multipart_threshold // 4, 5 * CHUNK)
        )

    def _full(self, key: str) -> str:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"not a storage key: {key!r}")
        return f"{self.prefix}/{key}" if self.prefix else key

    def _key(self, full: str) -> str:
        return full[len(self.prefix) + 1:] if self.prefix else full

    def _retrying(self, what: str, call):
        deadline, pause = time.monotonic() + self.retry_seconds, 0.5
        while True:
            try:
                return call()
            except (ConnectionError, HTTPClientError, ClientError) as exc:
                if isinstance(exc, ClientError) and _code(exc) not in TRANSIENT_CODES:
                    raise
                if time.monotonic() + pause > deadline:
                    raise StoreUnavailable(
                        f"the object store did not answer for {self.retry_seconds:.0f} s while {what}: {exc}"
                    ) from exc
                time.sleep(pause)
                pause = min(pause * 2, 5)

    def location(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._full(key)}"

    def local_path(self, key: str) -> Path | None:
        return None

    def put_file(self, key: str, source: Path, content_type: str) -> None:
        self._retrying(f"storing {key}", lambda: self.client.upload_file(
            str(source), self.bucket, self._full(key), ExtraArgs={"ContentType": content_type}, Config=self.transfer,
        ))

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        self._retrying(f"storing {key}", lambda: self.client.put_object(
            Bucket=self.bucket, Key=self._full(key), Body=data, ContentType=content_type,
        ))

    def _download(self, key: str, dest: Path) -> bool:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._full(key))
        except ClientError as exc:
            if _code(exc) in MISSING:
                return False
            raise
        with atomic_path(dest) as temp, temp.open("wb") as out:
            shutil.copyfileobj(response["Body"], out, CHUNK)
        return True

    def get_file(self, key: str, dest: Path) -> bool:
        return self._retrying(f"reading {key}", lambda: self._download(key, dest))

    def get_bytes(self, key: str) -> bytes | None:
        def read():
            try:
                return self.client.get_object(Bucket=self.bucket, Key=self._full(key))["Body"].read()
            except ClientError as exc:
                if _code(exc) in MISSING:
                    return None
                raise
        return self._retrying(f"reading {key}", read)

    def copy(self, source_key: str, key: str, content_type: str) -> bool:
        def copy():
            try:
                self.client.copy_object(
                    Bucket=self.bucket, Key=self._full(key), CopySource={"Bucket": self.bucket, "Key": self._full(source_key)},
                    ContentType=content_type, MetadataDirective="REPLACE",
                )
            except ClientError as exc:
                if _code(exc) in MISSING:
                    return False
                raise
            return True
        return self._retrying(f"copying {source_key} to {key}", copy)

    def stat(self, key: str) -> StoredObject | None:
        def head():
            try:
                found = self.client.head_object(Bucket=self.bucket, Key=self._full(key))
            except ClientError as exc:
                if _code(exc) in MISSING:
                    return None
                raise
            return StoredObject(key, found["ContentLength"], found["LastModified"].timestamp())
        return self._retrying(f"looking up {key}", head)

    def list_prefix(self, prefix: str) -> list[StoredObject]:
        def listing():
            found = []
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self._full(prefix))
            for page in pages:
                for item in page.get("Contents", []):
                    found.append(StoredObject(self._key(item["Key"]), item["Size"], item["LastModified"].timestamp()))
            return found
        return self._retrying(f"listing {prefix}", listing)

    def delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):
            batch = [{"Key": self._full(key)} for key in keys[start:start + 1000]]
            answer = self._retrying("deleting objects", lambda: self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True},
            ))
            if answer.get("Errors"):
                first = answer["Errors"][0]
                raise RuntimeError(f"the object store refused to delete {len(answer['Errors'])} objects, e.g. "
                                   f"{first.get('Key')}: {first.get('Code')} {first.get('Message')}")

    def delete_prefix(self, prefix: str) -> Removed:
        found = self.list_prefix(prefix)
        self.delete([obj.key for obj in found])
        return Removed(len(found), sum(obj.size for obj in found))

    def link(self, key: str, content_type: str) -> str | None:
        return self.link_client.generate_presigned_url(
            "get_object", ExpiresIn=self.link_seconds,
            Params={"Bucket": self.bucket, "Key": self._full(key), "ResponseContentType": content_type},
        )

    def sweep_unfinished(self, prefix: str, older_than: float) -> Removed:
        removed = Removed()
        try:
            pages = self.client.get_paginator("list_multipart_uploads").paginate(Bucket=self.bucket, Prefix=self._full(prefix))
            for page in pages:
                for upload in page.get("Uploads", []):
                    if upload["Initiated"].timestamp() < older_than:
                        self.client.abort_multipart_upload(Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"])
                        removed += Removed(1, 0)
        except ClientError as exc:
            if _code(exc) not in ("NotImplemented", "501", "NoSuchUpload"):  # some servers answer so for "none"
                raise
        return removed

    def check_writable(self) -> str:
        probe = f".health-{uuid.uuid4().hex[:12]}"
        self.put_bytes(probe, str(time.time()).encode(), "text/plain")
        self.delete([probe])
        return f"s3://{self.bucket}/{self.prefix} writable"
