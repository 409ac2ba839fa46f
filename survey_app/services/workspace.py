"""The workspace: one laptop's (or office's) store, photo blobs and rule book, opened together.

Every use-case in services takes a Workspace; the UI and the command line open one.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from survey_app import paths
from survey_app.store.db import Store, open_store


class Workspace:
    def __init__(self, home: Path, *, actor: str = "") -> None:
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.store: Store = open_store(self.home / "survey.db")
        self.actor = actor or "local"

    @classmethod
    def open_default(cls, *, actor: str = "") -> Workspace:
        """The store under SURVEY_APP_HOME, or the per-user data folder."""
        return cls(paths.user_data_dir(), actor=actor)

    @cached_property
    def blobs(self):  # -> survey_app.photos.blobstore.BlobStore
        from survey_app.photos.blobstore import BlobStore

        blobs = BlobStore(self.home / "blobs")
        blobs.sweep_incoming()
        return blobs

    @cached_property
    def rulebook(self):  # -> survey_app.rules.Rulebook
        from survey_app.rules import load_rulebook

        return load_rulebook()

    def close(self) -> None:
        self.store.close()
