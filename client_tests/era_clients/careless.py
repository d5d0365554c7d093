"""Careless era clients: each is an era client with one thing its own era's documents forbid
(a DEFECT comment names the rule that catches it), and which another era allows, so a
catch proves the rules judge by era and not by one fixed behaviour.

==================  =========================================  ========================
client              defect                                     allowed in
==================  =========================================  ========================
careless-v1.0       gives a 1.9 ``?ct=`` link                  v1.9, latest
careless-v1.4       gives the 1.1-1.3 ``?nemo_token=`` link    v1.0, v1.1
careless-v1.9       gives the 1.4-1.8 ``?token=…&task=`` link  v1.4, v1.8, api-reference
careless-api-ref    waits 10 minutes on keep-alives, not 5     every other era
==================  =========================================  ========================
"""

from __future__ import annotations

from nemo_mock.client_tests.era_clients import links
from nemo_mock.client_tests.era_clients.clients import (
    ApiReferenceClient,
    V1_0Client,
    V1_4Client,
    V1_9Client,
)
from nemo_mock.client_tests.reference_client.chat import HEARTBEATS_ONLY_TIMEOUT_S
from nemo_mock.client_tests.reference_client.main import Client


class CarelessV1_0(V1_0Client):
    # DEFECT (link-of-era): a claim token and the 1.9 link; the 1.0 web app knows no ct.
    link = staticmethod(links.ct_link)


class CarelessV1_4(V1_4Client):
    # DEFECT (link-of-era, no-token-in-url): the older task link with ?nemo_token=, which
    # the 1.4 documents replaced; the token in it is no longer where the documents put it.
    link = staticmethod(links.task_link)


class CarelessV1_9(V1_9Client):
    # DEFECT (link-of-era, no-token-in-url): the 1.4-1.8 link with the access token in it,
    # which 1.9 replaced by the claim token ("the web app accepts only ct").
    link = staticmethod(links.claim_link)


class CarelessApiReference(ApiReferenceClient):
    # DEFECT (heartbeat-timeout): the skill documents' 10 minutes of keep-alives before a
    # time-out, where the API reference says more than 5 minutes is one.
    heartbeats_timeout_s = HEARTBEATS_ONLY_TIMEOUT_S


CARELESS: dict[str, type[Client]] = {
    "careless-v1.0": CarelessV1_0,
    "careless-v1.4": CarelessV1_4,
    "careless-v1.9": CarelessV1_9,
    "careless-api-ref": CarelessApiReference,
}
