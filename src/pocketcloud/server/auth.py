"""Who is calling: the access key, region and signing service read from a SigV4 signature.

pocketcloud accepts any credentials by default. The step sits in the request path so that verifying signatures
(and mapping access keys made by IAM CreateAccessKey to accounts) is a switch here, not a redesign.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pocketcloud.protocols.base import Request

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/([^/,\s]+)/aws4_request")


@dataclass(frozen=True, slots=True)
class Identity:
    access_key: str
    account_id: str
    region: str
    signing_service: str  # "" when the request was not signed


class Authenticator:
    def __init__(self, *, default_account: str, default_region: str) -> None:
        self.default_account = default_account
        self.default_region = default_region
        self._accounts: dict[str, str] = {}
        # Identity per "Credential=..." scope: a client sends the same one on every request (only the signature
        # changes), and reading it again costs a regex search and an Identity per request.
        self._identities: dict[str, Identity] = {}

    def register_key(self, access_key: str, account_id: str) -> None:
        """Access keys issued by IAM belong to the account that made them."""
        self._accounts[access_key] = account_id
        self._identities.clear()

    def identify(self, request: Request) -> Identity:
        auth = request.headers.get("authorization", "")
        start = auth.find("Credential=")
        scope = ""
        if start >= 0:
            end = auth.find(",", start)
            scope = auth[start:end] if end >= 0 else auth[start:]
            known = self._identities.get(scope)
            if known is not None:
                return known
        m = _CREDENTIAL.search(auth)
        if m is not None and m.start() == start:
            # The match starts at the first "Credential=" and holds no comma: the scope alone decides it.
            key, _date, region, service = m.groups()
            identity = Identity(key, self._accounts.get(key, self.default_account), region, service)
            if len(self._identities) >= 1024:
                self._identities.clear()
            self._identities[scope] = identity
            return identity
        if m is None:
            for k, v in request.query:
                if k == "X-Amz-Credential":
                    m = _CREDENTIAL.search("Credential=" + v)
                    break
        if m is None:
            return Identity("", self.default_account, self.default_region, "")
        key, _date, region, service = m.groups()
        return Identity(key, self._accounts.get(key, self.default_account), region, service)
