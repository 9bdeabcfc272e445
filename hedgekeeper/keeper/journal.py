"""The keeper's SQLite journal: every intent and its outcome.

An intent is written with its signed raw transaction and hash BEFORE the transaction is sent, so that after
a crash the keeper can look the hash up, wait for its receipt, or re-broadcast the very same signed bytes:
a restart never sends an action twice and never forgets one.

Statuses: signed (recorded, maybe sent) -> sent (the node accepted it) -> mined | reverted; or dropped (its
nonce was used by another transaction), rejected (the node refused it), dry_run (decided, not sent)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PENDING = ("signed", "sent")
FINAL = ("mined", "reverted", "dropped", "rejected", "dry_run")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS intents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at REAL NOT NULL,
    chain_ts REAL NOT NULL,
    kind TEXT NOT NULL,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    nonce INTEGER,
    tx_hash TEXT,
    raw_tx TEXT,
    sent_at REAL,
    block_number INTEGER,
    gas_used INTEGER,
    detail TEXT,
    tx_json TEXT,
    replaces INTEGER,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS intents_status ON intents(status);
CREATE INDEX IF NOT EXISTS intents_kind ON intents(kind, status);
"""


@dataclass(frozen=True)
class Intent:
    id: int
    created_at: float
    chain_ts: float
    kind: str
    action: dict[str, Any]
    status: str
    nonce: int | None
    tx_hash: str | None
    raw_tx: str | None
    block_number: int | None
    gas_used: int | None
    detail: str | None
    sent_at: float | None = None
    tx: dict[str, Any] | None = None  # the unsigned transaction (for a fee-bumped replacement)
    replaces: int | None = None  # id of the intent this one replaces (same nonce, higher fees)


class Journal:
    """Thread-safe SQLite in WAL mode. Every commit survives a crash of the process. With `sync_intents`
    (the default) the commit that records an intent is also fsync'ed, so the signed transaction is on disk
    before it is sent even across a power loss; status updates are not fsync'ed (a lost update is recovered
    by `Executor.reconcile()`, which looks the hash up)."""

    def __init__(self, path: Path | str, sync_intents: bool = True) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self.sync_intents = sync_intents

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _exec(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, args)

    def record(self, kind: str, action: dict[str, Any], chain_ts: float, status: str = "signed",
               nonce: int | None = None, tx_hash: str | None = None, raw_tx: str | None = None,
               tx: dict[str, Any] | None = None, replaces: int | None = None) -> int:
        """A new intent; with status `signed` it carries the signed transaction about to be sent."""
        now = time.time()
        sync = self.sync_intents and status == "signed"
        with self._lock:
            if sync:
                self._db.execute("PRAGMA synchronous=FULL")
            try:
                cur = self._db.execute(
                    "INSERT INTO intents (created_at, chain_ts, kind, action, status, nonce, tx_hash, raw_tx, tx_json, replaces, updated_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (now, chain_ts, kind, json.dumps(action), status, nonce, tx_hash, raw_tx,
                     json.dumps(tx) if tx is not None else None, replaces, now),
                )
            finally:
                if sync:
                    self._db.execute("PRAGMA synchronous=NORMAL")
        return int(cur.lastrowid or 0)

    def mark_sent(self, intent_id: int) -> None:
        now = time.time()
        self._exec("UPDATE intents SET status='sent', sent_at=?, updated_at=? WHERE id=? AND status='signed'", (now, now, intent_id))

    def mark_final(self, intent_id: int, status: str, block_number: int | None = None, gas_used: int | None = None, detail: str | None = None) -> None:
        if status not in FINAL:
            raise ValueError(f"not a final status: {status}")
        self._exec(
            "UPDATE intents SET status=?, block_number=?, gas_used=?, detail=?, updated_at=? WHERE id=?",
            (status, block_number, gas_used, detail, time.time(), intent_id),
        )

    def _rows(self, where: str, args: tuple[Any, ...] = (), tail: str = "ORDER BY id") -> list[Intent]:
        cur = self._exec(
            "SELECT id, created_at, chain_ts, kind, action, status, nonce, tx_hash, raw_tx, block_number, gas_used, detail, "
            f"sent_at, tx_json, replaces FROM intents WHERE {where} {tail}",
            args,
        )
        return [
            Intent(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
                   json.loads(r[13]) if r[13] else None, r[14])
            for r in cur.fetchall()
        ]

    def replacement_of(self, intent_id: int) -> Intent | None:
        """The newest intent that replaces `intent_id`, if any."""
        rows = self._rows("replaces=?", (intent_id,), tail="ORDER BY id DESC LIMIT 1")
        return rows[0] if rows else None

    def get(self, intent_id: int) -> Intent:
        return self._rows("id=?", (intent_id,))[0]

    def pending(self) -> list[Intent]:
        """Intents whose transaction may still be unsent or unmined, by nonce."""
        return self._rows("status IN ('signed','sent')", tail="ORDER BY nonce, id")

    def has_pending(self, kind: str | None = None) -> bool:
        if kind is None:
            cur = self._exec("SELECT 1 FROM intents WHERE status IN ('signed','sent') LIMIT 1")
        else:
            cur = self._exec("SELECT 1 FROM intents WHERE kind=? AND status IN ('signed','sent') LIMIT 1", (kind,))
        return cur.fetchone() is not None

    def last_final(self, kind: str, statuses: tuple[str, ...] = ("mined",)) -> Intent | None:
        """The most recent intent of `kind` with one of `statuses`."""
        marks = ",".join("?" for _ in statuses)
        rows = self._rows(f"kind=? AND status IN ({marks})", (kind, *statuses), tail="ORDER BY id DESC LIMIT 1")
        return rows[0] if rows else None

    def all(self) -> list[Intent]:
        return self._rows("1=1")

    def counts(self) -> dict[str, int]:
        cur = self._exec("SELECT status, COUNT(*) FROM intents GROUP BY status")
        return {str(s): int(n) for s, n in cur.fetchall()}
