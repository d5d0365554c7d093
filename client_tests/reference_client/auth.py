"""The bearer token (§4.1, §3): ``NEMO_TOKEN`` or an anonymous token for one client id."""

from __future__ import annotations

import uuid

from nemo_mock.client_tests.reference_client.errors import ApiError, ClientError
from nemo_mock.client_tests.reference_client.http import Api

TOKEN_PATH = "/api/auth/anonymous-token"


class Tokens:
    """Holds the token; ``refresh`` gets one new anonymous token with the same client id."""

    def __init__(self, api: Api, client_id: str, token: str | None = None) -> None:
        self.api = api
        self.client_id = client_id
        self._token = token
        #: A new client id is generated at most once (after an HTTP 400 on the token call).
        self._regenerated = False
        self.user_id: str | None = None
        api.tokens = self

    def bearer(self) -> str:
        if self._token is None:
            self._token = self._fetch()
        return self._token

    def refresh(self) -> None:
        self._token = self._fetch()

    def _fetch(self) -> str:
        while True:
            try:
                reply = self.api.call(
                    "createAnonymousToken",
                    "POST",
                    TOKEN_PATH,
                    headers={"X-Client-Id": self.client_id},
                    auth=False,
                )
            except ApiError as exc:
                if exc.code == 400 and not self._regenerated:
                    # §3: missing/invalid X-Client-Id: generate one, retry, keep it.
                    self._regenerated = True
                    self.client_id = str(uuid.uuid4())
                    self.api.log("the token call wants a client id (400); using a new one")
                    continue
                raise
            data = reply.body.get("data") if isinstance(reply.body, dict) else None
            token = data.get("token") if isinstance(data, dict) else None
            if not isinstance(token, str) or not token:
                raise ClientError("the anonymous-token answer has no data.token")
            user = data.get("user_id") if isinstance(data, dict) else None
            self.user_id = user if isinstance(user, str) else None
            self.api.log(f"got an anonymous token for {self.user_id or 'a new user'}")
            return token
