"""Business activity feed (admin dashboard) and the admin audit trail."""

import asyncio
import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from app.config import get_settings

logger = logging.getLogger(__name__)
settings = get_settings()

MAX_ENTRIES = 500


class ActivityLog:
    """The last MAX_ENTRIES business events, kept in a JSON file."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)

    async def record(self, event: str, data: dict[str, Any]) -> None:
        entry = {"event": event, "data": data, "at": datetime.now().isoformat()}
        try:
            entries = self._load()
            entries.append(entry)
            with open(self.path, "w") as fh:
                json.dump(entries[-MAX_ENTRIES:], fh)
        except Exception as e:
            logger.error(f"Could not write activity log: {e}")

    async def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        with open(self.path) as fh:
            entries = json.load(fh)
        return entries[-limit:]

    def _load(self) -> list[dict[str, Any]]:
        try:
            with self.path.open() as fh:
                return json.load(fh)
        except FileNotFoundError:
            return []


class AuditTrail:
    """Append-only JSON-lines record of admin actions, kept for the security review."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self._lock = asyncio.Lock()

    async def append(self, actor: str, action: str, target: str) -> None:
        line = json.dumps(
            {
                "actor": actor,
                "action": action,
                "target": target,
                "at": datetime.now(timezone.utc).isoformat(),
            }
        )
        async with self._lock:
            await asyncio.to_thread(self._append_line, line)

    def _append_line(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())


activity_log = ActivityLog(settings.activity_log_path)
audit_trail = AuditTrail(settings.audit_trail_path)
