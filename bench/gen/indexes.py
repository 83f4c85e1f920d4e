"""Secondary indexes and unique constraints off during the load, rebuilt after it.

Keeping a dozen b-trees up to date row by row (one on a random SHA-256 for the audit log)
costs more than building each once from sorted data; primary keys stay (ids arrive in
order, so their b-tree only grows at the right edge).
"""

from __future__ import annotations

import psycopg


def drop(url: str, tables: tuple[str, ...]) -> list[str]:
    """Drop the tables' secondary indexes and unique constraints; the statements to rebuild."""
    rebuild: list[str] = []
    with psycopg.connect(url, autocommit=True) as conn:
        for table in tables:
            constraints = conn.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'u'",
                (table,),
            ).fetchall()
            for name, definition in constraints:
                conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            indexes = conn.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
                "AND c.conrelid = %s::regclass)",
                (table, table),
            ).fetchall()
            for name, definition in indexes:
                conn.execute(f'DROP INDEX "{name}"')
                rebuild.append(definition)
    return rebuild


def rebuild(url: str, statements: list[str]) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        for statement in statements:
            conn.execute(statement)
    return {}
