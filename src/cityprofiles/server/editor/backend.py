"""The local back end: what Decap's proxy back end asks (``POST /api/v1``), answered from disk.

The actions and the shapes of their requests and answers are those of ``decap-server``
(the npm package, ``localFs`` middleware, version 3.11): ``info``, ``entriesByFolder``,
``entriesByFiles``, ``getEntry``, ``persistEntry``, ``getMedia``, ``getMediaFile``,
``persistMedia``, ``deleteFile``, ``deleteFiles`` and ``getDeployPreview``. A request
it cannot accept gets status 422 and ``{"error": "…"}``, as there; Decap shows the text.

Unlike ``decap-server`` it reads and writes only ``content/`` and the media folder
(``paths``), merges saves into the files instead of overwriting them (``merge``), and
refuses a save that ``cityprofiles check`` refuses, with ``check``'s report (``save``).
These are plain functions of a JSON value; ``http`` puts them on the wire.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cityprofiles.cms import MEDIA_FOLDER, Checked, PathRefused, check_path
from cityprofiles.server.editor.checking import Builds, SaveChecker
from cityprofiles.server.editor.save import Refused, delete, save, write_atomic

Answer = tuple[int, Any]
MAX_LISTED_FILES = 20_000
MAX_MEDIA_BYTES = 10 * 1024 * 1024


class BadRequest(Exception):
    """A request that does not have the shape decap-server expects."""


@dataclass
class LocalBackend:
    """Answers Decap's proxy requests for the site under ``root``."""

    root: Path
    log: Callable[[str], None] = field(default=lambda _text: None)
    builds: Builds | None = None
    """The preview's last good build of the site, which a save's check starts from."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _checker: SaveChecker | None = field(default=None, repr=False)

    @property
    def checker(self) -> SaveChecker:
        """Checks the saves, keeping what it validated and rendered from one to the next."""
        if self._checker is None:
            self._checker = SaveChecker(self.root, self.builds)
        return self._checker

    def handle(self, body: Any) -> Answer:
        """Status and JSON answer for one request body (already parsed from JSON)."""
        if not isinstance(body, dict) or not isinstance(body.get("action"), str):
            return 422, {"error": '"action" is required'}
        action = body["action"]
        params = body.get("params")
        handler = getattr(self, f"_{action}", None) if action in ACTIONS else None
        if handler is None:
            return 422, {"error": f"Unknown action {action}"}
        try:
            if action != "info" and not isinstance(params, dict):
                raise BadRequest('"params" must be an object')
            with self._lock:  # one change at a time: each save is checked against the last
                return 200, handler(params or {})
        except (BadRequest, PathRefused) as exc:
            return 422, {"error": str(exc)}
        except Refused as exc:
            self.log(f"Save refused:\n{exc.message}")
            return 422, {"error": exc.message}

    # -- reading -----------------------------------------------------------------------
    def _info(self, _params: dict[str, Any]) -> Any:
        return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}

    def _entriesByFolder(self, params: dict[str, Any]) -> Any:
        folder = self._path(params, "folder")
        extension = _text(params, "extension")
        depth = params.get("depth")
        if not isinstance(depth, int) or isinstance(depth, bool):
            raise BadRequest('"depth" must be a number')
        files = _list_files(folder.path, extension, depth)
        return [self._entry(self._checked(str(rel))) for rel in self._relative(files)]

    def _entriesByFiles(self, params: dict[str, Any]) -> Any:
        items = params.get("files")
        if not isinstance(items, list):
            raise BadRequest('"files" must be a list')
        result = []
        for item in items:
            if not isinstance(item, dict):
                raise BadRequest('each of "files" must be an object with a "path"')
            checked = self._path(item, "path")
            label = item.get("label") if isinstance(item.get("label"), str) else None
            result.append(self._entry(checked, label))
        return result

    def _getEntry(self, params: dict[str, Any]) -> Any:
        return self._entry(self._path(params, "path"))

    def _getMedia(self, params: dict[str, Any]) -> Any:
        folder = self._path(params, "mediaFolder", areas=(MEDIA_FOLDER,))
        files = _list_files(folder.path, "", 1)
        return [self._media(self._checked(str(rel), media=True)) for rel in self._relative(files)]

    def _getMediaFile(self, params: dict[str, Any]) -> Any:
        return self._media(self._path(params, "path", areas=(MEDIA_FOLDER,)))

    def _getDeployPreview(self, _params: dict[str, Any]) -> Any:
        return None

    # -- writing -----------------------------------------------------------------------
    def _persistEntry(self, params: dict[str, Any]) -> Any:
        entry = params.get("entry")
        data_files = params.get("dataFiles", [entry] if entry is not None else None)
        if not isinstance(data_files, list) or not data_files:
            raise BadRequest('"dataFiles" (or "entry") is required')
        files: list[tuple[str, str]] = []
        for item in data_files:
            if not isinstance(item, dict):
                raise BadRequest("each data file must be an object")
            checked = self._path(item, "path")
            raw = item.get("raw")
            if not isinstance(raw, str):
                raise BadRequest('"raw" must be text')
            if item.get("newPath") not in (None, item.get("path")):
                raise BadRequest(
                    "moving an entry to another file is not supported here; "
                    "rename the folder in the files and run `cityprofiles check`"
                )
            files.append((checked.rel, raw))
        assets = params.get("assets", [])
        if not isinstance(assets, list):
            raise BadRequest('"assets" must be a list')
        decoded = [self._asset(a) for a in assets]
        written = save(self.root, files, self.checker)
        for checked, data in decoded:
            self._write_media(checked, data)
            written.append(checked.rel)
        if written:
            self.log(f"Saved from the editor: {', '.join(written)}")
        return {"message": "entry persisted"}

    def _persistMedia(self, params: dict[str, Any]) -> Any:
        checked, data = self._asset(params.get("asset"))
        self._write_media(checked, data)
        self.log(f"Saved from the editor: {checked.rel}")
        return self._media(checked)

    def _deleteFile(self, params: dict[str, Any]) -> Any:
        checked = self._path(params, "path")
        removed = delete(self.root, [checked.rel], self.checker)
        if removed:
            self.log(f"Deleted from the editor: {checked.rel}")
        return {"message": f"deleted file {checked.rel}"}

    def _deleteFiles(self, params: dict[str, Any]) -> Any:
        paths = params.get("paths")
        if not isinstance(paths, list) or not paths:
            raise BadRequest('"paths" must be a list of at least one path')
        checked = [check_path(self.root, p) for p in paths]
        removed = delete(self.root, [c.rel for c in checked], self.checker)
        if removed:
            self.log(f"Deleted from the editor: {', '.join(removed)}")
        return {"message": f"deleted files {', '.join(c.rel for c in checked)}"}

    # -- helpers -----------------------------------------------------------------------
    def _path(
        self, params: dict[str, Any], key: str, *, areas: tuple[str, ...] | None = None
    ) -> Checked:
        value = params.get(key)
        if not isinstance(value, str) or not value:
            raise BadRequest(f'"{key}" is required')
        return (
            check_path(self.root, value)
            if areas is None
            else check_path(self.root, value, areas=areas)
        )

    def _checked(self, rel: str, *, media: bool = False) -> Checked:
        return (
            check_path(self.root, rel, areas=(MEDIA_FOLDER,))
            if media
            else check_path(self.root, rel)
        )

    def _relative(self, files: list[Path]) -> list[str]:
        return sorted(path.relative_to(self.root).as_posix() for path in files)

    def _entry(self, checked: Checked, label: str | None = None) -> Any:
        file: dict[str, Any] = {"path": checked.rel}
        if label is not None:
            file["label"] = label
        try:
            content = checked.path.read_bytes()
        except OSError:
            return {"data": None, "file": {**file, "id": None}}
        return {
            "data": content.decode("utf-8", errors="replace"),
            "file": {**file, "id": hashlib.sha256(content).hexdigest()},
        }

    def _media(self, checked: Checked) -> Any:
        try:
            content = checked.path.read_bytes()
        except OSError as exc:
            raise BadRequest(f"{checked.rel}: {exc.strerror or 'cannot be read'}") from None
        return {
            "id": hashlib.sha256(content).hexdigest(),
            "content": base64.b64encode(content).decode("ascii"),
            "encoding": "base64",
            "path": checked.rel,
            "name": checked.path.name,
        }

    def _asset(self, asset: Any) -> tuple[Checked, bytes]:
        if not isinstance(asset, dict):
            raise BadRequest('"asset" must be an object')
        checked = self._path(asset, "path", areas=(MEDIA_FOLDER,))
        if asset.get("encoding") != "base64" or not isinstance(asset.get("content"), str):
            raise BadRequest('"content" must be base64 text with "encoding": "base64"')
        try:
            data = base64.b64decode(asset["content"], validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest(f"{checked.rel}: the content is not valid base64") from None
        if len(data) > MAX_MEDIA_BYTES:
            raise BadRequest(f"{checked.rel} is larger than {MAX_MEDIA_BYTES // (1024 * 1024)} MB")
        return checked, data

    def _write_media(self, checked: Checked, data: bytes) -> None:
        checked.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(checked.path, data)


ACTIONS = frozenset(
    {
        "info",
        "entriesByFolder",
        "entriesByFiles",
        "getEntry",
        "persistEntry",
        "getMedia",
        "getMediaFile",
        "persistMedia",
        "deleteFile",
        "deleteFiles",
        "getDeployPreview",
    }
)


def _text(params: dict[str, Any], key: str) -> str:
    value = params.get(key)
    if not isinstance(value, str):
        raise BadRequest(f'"{key}" is required')
    return value


def _list_files(folder: Path, extension: str, depth: int) -> list[Path]:
    """Files ending in ``extension`` down to ``depth`` levels, as decap-server lists them;
    hidden files and folders are left out, and symbolic links are not followed."""
    found: list[Path] = []
    if depth <= 0 or not folder.is_dir():
        return found
    pending = [(folder, depth)]
    while pending:
        current, left = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                if left > 1:
                    pending.append((Path(entry.path), left - 1))
            elif entry.name.endswith(extension) and entry.is_file(follow_symlinks=False):
                found.append(Path(entry.path))
                if len(found) > MAX_LISTED_FILES:
                    raise BadRequest(f"more than {MAX_LISTED_FILES} files in one folder")
    return found
