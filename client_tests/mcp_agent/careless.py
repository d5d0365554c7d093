"""The careless MCP agent: the reference agent with one defect per MCP rule, each an
override below naming the rule it breaks (``BROKEN_RULES``)."""

from __future__ import annotations

from typing import Any

import httpx

from nemo_mock.client_tests.mcp_agent.reference import TITLE, ReferenceAgent

BROKEN_RULES = (
    "mcp-save-base-version",
    "mcp-conflict-apply",
    "mcp-no-save-during-turn",
    "mcp-turn-polling",
    "mcp-idempotency-key",
    "mcp-no-retry-refusal",
    "mcp-token-refresh",
    "mcp-export-after-status",
)
FIRST_VERSION = 1
RE_READS = 3


class CarelessAgent(ReferenceAgent):
    async def run(self) -> int:
        code = await super().run()
        await self.spend_everything()
        await self.reuse_refresh_token()
        return code

    async def save(self, change: Any) -> None:
        template = change(await self.read())
        # DEFECT (mcp-save-base-version): always saves against the version it first saw.
        args = {
            "project_id": self.pid,
            "session_id": self.project["session_id"],
            "main_template": template,
            "base_version": FIRST_VERSION,
        }
        reply = await self.agent.call("save_v3_draft", args)
        if reply.error is not None and reply.error.get("code") == "version_conflict":
            # DEFECT (mcp-conflict-apply): re-reads the project in a loop instead of applying
            # the change to the template the conflict returned.
            for _ in range(RE_READS):
                template = change(await self.read())
            await self.agent.call("save_v3_draft", {**args, "base_version": self.version})

    async def delegate(self, message: str, answered: bool = False) -> None:
        args = {"session_id": self.project["session_id"], "message": message}
        reply = await self.agent.call("delegate_to_nemo_agent", args)
        if reply.data is None:
            return
        # DEFECT (mcp-turn-polling): delegates again at once, without polling the turn.
        await self.agent.call("delegate_to_nemo_agent", {**args, "message": TITLE})
        # DEFECT (mcp-no-save-during-turn): saves while its own turn may still run.
        template = await self.read()
        await self.agent.call(
            "save_v3_draft",
            {
                "project_id": self.pid,
                "session_id": self.project["session_id"],
                "main_template": template,
                "base_version": self.version,
            },
        )

    async def generate_music(self, length_ms: int) -> str | None:
        url = await super().generate_music(length_ms)
        # DEFECT (mcp-idempotency-key): the same key again, for a different request.
        args = {"kind": "sfx", "prompt": "a whoosh", "idempotency_key": "music-1"}
        await self.agent.call("generate_audio", args)
        await self.agent.call("generate_audio", {**args, "prompt": "a door slam"})
        return url

    async def render(self) -> int:
        code = await super().render()
        if code == 0:
            # DEFECT (mcp-export-after-status): starts a last export and hands out the earlier
            # render's file as it, without asking get_render_status about the new one.
            await self.agent.call("render_video", {"project_id": self.pid})
        return code

    async def spend_everything(self) -> None:
        args = {"prompt": "a drone shot of a beach", "idempotency_key": "video-1"}
        # DEFECT (mcp-no-retry-refusal): a 402 (no credits) is retried, twice.
        for _ in range(3):
            reply = await self.agent.call("generate_video", args)
            if reply.status != 402:
                args = {**args, "idempotency_key": args["idempotency_key"] + "x"}

    async def reuse_refresh_token(self) -> None:
        """DEFECT (mcp-token-refresh): the first refresh token is used twice."""
        storage = self.agent.storage
        if not storage.history or storage.client is None:
            return
        form = {
            "grant_type": "refresh_token",
            "refresh_token": storage.history[0].refresh_token or "",
            "client_id": storage.client.client_id or "",
        }
        if storage.client.client_secret:
            form["client_secret"] = storage.client.client_secret
        async with httpx.AsyncClient(timeout=30) as http:
            for _ in range(2):
                await http.post(f"{self.agent.url}/oauth/token", data=form)
