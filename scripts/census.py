#!/usr/bin/env python3
"""Runs the census query of docs/census.md with DuckDB over JSONL shards and prints each table.

Usage: scripts/census.py SHARD.jsonl...   (needs `pip install duckdb`)"""
import re
import sys

import duckdb

DOC = __file__.rsplit("/", 2)[0] + "/docs/census.md"


def main():
    files = sys.argv[1:]
    if not files:
        sys.exit(__doc__)
    sql = re.search(r"```sql\n(.*?)```", open(DOC, encoding="utf-8").read(), re.S).group(1)
    listing = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"
    sql = sql.replace("'shard-*.jsonl'", listing)
    con = duckdb.connect()
    for statement in filter(None, (s.strip() for s in sql.split(";"))):
        body = "\n".join(l for l in statement.splitlines() if not l.strip().startswith("--"))
        if not body.strip():
            continue
        result = con.sql(body)
        if result is not None:
            print(result)


if __name__ == "__main__":
    main()
