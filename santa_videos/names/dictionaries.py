"""The ElevenLabs pronunciation dictionaries made from the lexicon, in the orders database: one row per set of
rules, so a dictionary is created once when the lexicon changes and every request after names it.

The key is a hash of the rules and the API's address; two runs that find no row at the same moment may both create
one, and the first row written is the one every later request uses.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from santa_videos.orders.database import create_tables

metadata = sa.MetaData()

dictionaries_table = sa.Table(
    "pronunciation_dictionaries",
    metadata,
    sa.Column("rules_hash", sa.String(64), primary_key=True),
    sa.Column("dictionary_id", sa.String(128), nullable=False),
    sa.Column("version_id", sa.String(128), nullable=False),
    sa.Column("rules", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class DictionaryLocator:
    dictionary_id: str
    version_id: str

    def as_request(self) -> dict:
        return {"pronunciation_dictionary_id": self.dictionary_id, "version_id": self.version_id}


def rules_hash(rules: list[dict], base_url: str) -> str:
    canonical = json.dumps({"api": base_url.rstrip("/"), "rules": rules}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class DictionaryRecords:
    def __init__(self, engine: sa.Engine):
        self.engine = engine
        create_tables(engine, metadata)

    def find(self, key: str) -> DictionaryLocator | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(dictionaries_table).where(dictionaries_table.c.rules_hash == key)).first()
        return DictionaryLocator(row.dictionary_id, row.version_id) if row else None

    def keep(self, key: str, locator: DictionaryLocator, rules: int) -> DictionaryLocator:
        """Record `locator` for `key` unless another run did first; the locator on record."""
        with self.engine.begin() as conn:
            insert = (sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert)(dictionaries_table)
            conn.execute(insert.values(
                rules_hash=key, dictionary_id=locator.dictionary_id, version_id=locator.version_id, rules=rules,
                created_at=datetime.now(timezone.utc),
            ).on_conflict_do_nothing(index_elements=["rules_hash"]))
        return self.find(key)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(dictionaries_table)).scalar_one()
