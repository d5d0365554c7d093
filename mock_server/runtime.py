"""``Mock``: the composition root below the web layer.

One object owns everything a running mock holds: the backend (domain state),
the services that work on it (uploads, renders, turns), the request journal,
the fault book, the scenario library and the snapshots. ``Mock.build`` is the only place
that constructs them; routes and control endpoints reach them through
``request.app.state.mock`` (``nemo_mock.mock_server.deps.Context``) and call methods here
for anything that spans several of them (``reset``, ``forget_user``, ``arm``,
``load_scenario``, ``save_snapshot``, ``restore_snapshot``).
"""

from __future__ import annotations

import asyncio
import random
import shutil
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from nemo_mock.mock_server import __version__
from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.clock import Clock
from nemo_mock.mock_server.domain.eras import LATEST, Era, era_named
from nemo_mock.mock_server.domain.recovery import settle_interrupted
from nemo_mock.mock_server.domain.slots import Slots
from nemo_mock.mock_server.domain.store import Store
from nemo_mock.mock_server.faults.rules import ActiveRule, FaultBook
from nemo_mock.mock_server.faults.spec import SpecError, parse_rule
from nemo_mock.mock_server.journal.access import AccessLog
from nemo_mock.mock_server.journal.book import Journal
from nemo_mock.mock_server.media.children import sweep_leftovers, temp_data_dir
from nemo_mock.mock_server.media.ffmpeg import resolve_ffmpeg
from nemo_mock.mock_server.media.ingest import UploadIngest, UploadLimits
from nemo_mock.mock_server.persist import StateParts, check_version, dump_state, load_state
from nemo_mock.mock_server.persist.durable import Durable
from nemo_mock.mock_server.persist.orphans import Swept, sweep_orphans
from nemo_mock.mock_server.persist.sqlite import FILE_NAME, SqliteStore
from nemo_mock.mock_server.render.jobs import RenderService
from nemo_mock.mock_server.scenarios.apply import apply_scenario
from nemo_mock.mock_server.scenarios.library import ScenarioLibrary
from nemo_mock.mock_server.scenarios.model import Scenario
from nemo_mock.mock_server.settings import Settings
from nemo_mock.mock_server.snapshots.archive import Header
from nemo_mock.mock_server.snapshots.book import (
    SnapshotBook,
    Unpacked,
    check_name,
    rebase,
    summary_of,
)
from nemo_mock.mock_server.sse.timing import Timing
from nemo_mock.mock_server.sse.turns import TurnRunner, TurnSettings

#: What a reset deletes under the data dir (the generated music library stays).
DATA_FOLDERS = ("uploads", "generated", "renders")


class StartupError(ValueError):
    """A ``--scenario`` or ``--fault`` given at start-up cannot be used."""


@dataclass
class Mock:
    settings: Settings
    backend: NemoBackend
    uploads: UploadIngest
    renders: RenderService
    turns: TurnRunner
    data_dir: Path
    started_at: datetime
    journal: Journal
    faults: FaultBook
    scenarios: ScenarioLibrary
    snapshots: SnapshotBook
    #: Uploads running per user (``--max-uploads-per-client``).
    upload_slots: Slots = field(default_factory=lambda: Slots(4))
    #: Whether ``data_dir`` is a temporary folder of this mock's own (removed on ``stop``).
    owns_data_dir: bool = False
    loaded_scenarios: list[str] = field(default_factory=list)
    #: With ``--data-dir``: the SQLite store the state is written through to.
    durable: Durable | None = None
    #: Whether the state was restored from the data dir at start (start-up scenarios and
    #: faults are then not armed again: they are in the restored state).
    restored: bool = False
    #: At a restart: the files no record named (removed) and records whose file is gone.
    swept: Swept = field(default_factory=Swept)
    #: The era requests are answered in (``--era``, or the last scenario that named one);
    #: ``X-Mock-Era`` chooses another for one request (``nemo_mock.mock_server.deps.request_era``).
    era: Era = LATEST

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        clock: Clock,
        rng: random.Random | None = None,
        store: Store | None = None,
    ) -> Mock:
        backend = NemoBackend(
            settings.backend_config(),
            clock=clock,
            rng=rng or random.Random(settings.seed),
            store=store,
        )
        data_dir = _data_dir(settings.data_dir)
        limits = UploadLimits(
            settings.max_upload_bytes, settings.url_fetch_timeout, settings.max_upload_parts
        )
        timing = Timing(settings.time_scale, settings.heartbeat_interval)
        return cls(
            settings=settings,
            backend=backend,
            uploads=UploadIngest(data_dir / "uploads", backend.ids, clock, limits),
            renders=RenderService(
                backend,
                data_dir,
                workers=settings.render_workers,
                ffmpeg=resolve_ffmpeg(settings.ffmpeg),
                timeout=settings.render_timeout,
                quality_cap=settings.render_quality_cap,
            ),
            turns=TurnRunner(
                backend,
                data_dir,
                TurnSettings(timing, settings.silent_rate, settings.temp_issue_rate, settings.seed),
                cache_dir=settings.synthesis_cache,
            ),
            data_dir=data_dir,
            started_at=clock.now(),
            journal=_journal(settings),
            faults=FaultBook(random.Random(f"{settings.seed}:faults")),
            scenarios=ScenarioLibrary((settings.scenario_dir,) if settings.scenario_dir else ()),
            snapshots=SnapshotBook(data_dir),
            upload_slots=Slots(settings.max_uploads_per_client, setting="--max-uploads-per-client"),
            owns_data_dir=settings.data_dir is None,
            era=era_named(settings.era),
        )._opened()

    def _opened(self) -> Mock:
        """With ``--data-dir`` and persistence on: the state restored from the data dir's
        SQLite store (work that was running settled, ``domain/recovery.py``), then kept."""
        if self.settings.data_dir is None or not self.settings.persist:
            for staging, _ in self.snapshots.pending():  # no state kept: nothing to finish
                self.snapshots.finish(staging)
            return self
        store = SqliteStore(self.data_dir / FILE_NAME)
        self.durable = Durable(store, self._state_parts)
        doc = store.load()
        if doc is not None:
            self._load_state(doc)
            self.durable.remember(doc)  # what is on disk: not written again
            settle_interrupted(self.backend.store, self.backend.clock)
            self.restored = True
        for staging, state in self.snapshots.pending():  # a restore the mock died in
            self._finish_restore(staging, state)
            self.restored = True
        if self.restored:
            self.swept = sweep_orphans(self.backend.store, self.data_dir)
        self.durable.flush()
        # a render ends in the background: committed then, not with the next answer
        self.renders.on_settled = self.durable.flush
        return self

    # -- set-up -----------------------------------------------------------------------------
    def arm(self, scenario_names: list[str], fault_specs: list[str]) -> None:
        """Load start-up scenarios, then start-up faults, in the order given."""
        for name in scenario_names:
            self.load_scenario(self.scenarios.get(name))
        for spec in fault_specs:
            try:
                self.faults.add(parse_rule(spec))
            except SpecError as exc:
                forms = "\n  ".join(exc.forms)
                raise StartupError(
                    f"--fault {spec!r}: {exc.message}\nvalid forms:\n  {forms}"
                ) from None

    def load_scenario(self, scenario: Scenario) -> list[ActiveRule]:
        """A scenario's set-up, then its fault rules (armed in order)."""
        rules = apply_scenario(scenario, self.backend, self.faults)
        if scenario.era is not None:
            self.era = era_named(scenario.era)
        self.loaded_scenarios.append(scenario.name)
        return rules

    # -- the state as a document (snapshots, the durable store) -----------------------------
    def export_state(self) -> dict[str, Any]:
        """The whole state as one versioned, JSON-able document (``nemo_mock.mock_server.persist``):
        every table of the store, id counters, RNG, clock offset, faults, scenarios."""
        return dump_state(self._state_parts())

    def import_state(self, doc: dict[str, Any]) -> None:
        """Replace the whole state with ``doc`` (an ``export_state`` of this schema
        version, else ``StateVersionError`` naming both versions). Work that was running
        when it was exported is settled as after a restart (``domain/recovery.py``)."""
        self._load_state(doc)
        settle_interrupted(self.backend.store, self.backend.clock)

    def _load_state(self, doc: dict[str, Any]) -> None:
        check_version(doc)
        self.renders.forget_all()
        parts = self._state_parts()
        load_state(parts, doc)
        self.era = era_named(parts.era or self.settings.era)

    def _state_parts(self) -> StateParts:
        return StateParts(self.backend, self.faults, self.loaded_scenarios, self.era.name)

    # -- snapshots: the state from the codec, the files copied beside it ---------------------
    async def save_snapshot(self, name: str) -> dict[str, Any]:
        """The state at this instant (taken on the event loop: no request is half-applied)
        and the data dir's complete files, in one snapshot file."""
        header = Header(
            check_name(name), self.backend.clock.now().isoformat(), __version__,
            self.settings.seed, str(self.data_dir),
        )  # fmt: skip
        state = self.export_state()
        return await asyncio.to_thread(self.snapshots.save, header, state)

    async def restore_snapshot(self, name: str) -> dict[str, Any]:
        """Back to a saved snapshot: turns and renders stopped, files and state replaced,
        the journal emptied; what the snapshot caught unfinished is settled as after a restart
        (``domain/recovery.py``: holds released, unfinished renders failed with a reason)."""
        path = self.snapshots.path(name)
        unpacked = await asyncio.to_thread(self.snapshots.unpack, path)
        await self.turns.forget_all()
        self.renders.forget_all()
        self._swap_in(unpacked)
        return summary_of(path, unpacked.manifest)

    async def import_snapshot(self, source: IO[bytes], name: str | None) -> dict[str, Any]:
        """Keep a snapshot file (checked whole) under ``name``, or the name it was saved as."""
        return await asyncio.to_thread(self.snapshots.import_stream, source, name)

    def start_from_snapshot(self, path: Path) -> dict[str, Any]:
        """At start-up (nothing runs yet): the state and files of a snapshot file."""
        unpacked = self.snapshots.unpack(path)
        self._swap_in(unpacked)
        return summary_of(path, unpacked.manifest)

    def _swap_in(self, unpacked: Unpacked) -> None:
        try:
            check_version(unpacked.state)  # refused before any file is replaced
        except Exception:
            shutil.rmtree(unpacked.staging, ignore_errors=True)
            raise
        state = rebase(unpacked.state, unpacked.manifest.data_dir, str(self.data_dir))
        self.snapshots.prepare(unpacked.staging, state)  # from here a crash is rolled forward
        self._finish_restore(unpacked.staging, state)
        self.journal.reset()

    def _finish_restore(self, staging: Path, state: dict[str, Any]) -> None:
        """Files swapped in, state imported and committed, staging gone: each step can be
        done again by the next start if the mock dies in the middle (``_opened``)."""
        self.snapshots.swap_in(staging)
        self.import_state(state)
        self._written()
        self.snapshots.finish(staging)

    # -- back to a fresh start --------------------------------------------------------------
    async def reset(self, seed: int | None = None) -> None:
        """State, faults, scenarios, era, journal (numbered from 1 again), clock, rate limits
        and RNG, as at start-up; with ``seed``, as at a start-up with ``--seed seed`` (which
        later resets keep)."""
        await self.turns.forget_all()
        self.renders.forget_all()
        if seed is not None and seed != self.settings.seed:
            self.settings = self.settings.model_copy(update={"seed": seed})
            self.turns.settings = replace(self.turns.settings, seed=seed)
        self.backend.reset(self.settings.seed)
        self.faults.reset(f"{self.settings.seed}:faults")
        self.journal.reset()
        self.loaded_scenarios.clear()
        self.era = era_named(self.settings.era)
        self._written()  # the records are gone on disk before their files
        for folder in DATA_FOLDERS:
            shutil.rmtree(self.data_dir / folder, ignore_errors=True)

    def forget_user(self, user_id: str) -> dict[str, int]:
        """One user's tokens, sessions, files and journal entries gone; how many of each."""
        tokens = set(self.backend.token_fingerprints_of(user_id))
        paths = self.backend.forget_user(user_id)
        self._written()  # the records are gone on disk before their files
        for path in paths:
            Path(path).unlink(missing_ok=True)
        return {
            "tokens": len(tokens),
            "files": len(paths),
            "journal_entries": self.journal.forget_tokens(tokens),
        }

    def _written(self) -> None:
        """With the durable store: every change so far committed (before files go)."""
        if self.durable is not None:
            self.durable.flush()

    async def stop(self) -> None:
        """At shutdown: turns stopped, render workers stopped, a temporary data dir removed."""
        await self.turns.stop()
        self.renders.stop()
        settle_interrupted(self.backend.store, self.backend.clock)
        if self.durable is not None:
            self.durable.flush()
            self.durable.close()
        if self.owns_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)


def _data_dir(configured: Path | None) -> Path:
    """The configured data dir, or a fresh temporary one that ``stop`` removes."""
    if configured is not None:
        configured.mkdir(parents=True, exist_ok=True)
        sweep_leftovers(configured)
        return configured
    made = temp_data_dir()
    sweep_leftovers(made)
    return made


def _journal(settings: Settings) -> Journal:
    journal = Journal(
        settings.journal_size,
        max_bytes=int(settings.journal_max_mb * 1024 * 1024),
        max_events=settings.journal_max_events,
    )
    if settings.access_log:
        journal.listeners.append(AccessLog())
    return journal
