"""The only package that imports the MySQL driver: configuration, the pool and transactions, the per-shop
cache, named SQL from sql/*.sql, migrations, error translation, the read-only runner and bulk loading.

The shop's rules use five names: `db.query` (a DataFrame), `db.rows` (a list of dicts), `db.figure` (a figure
the app shares with the analyst page, from its checked question file), `@db.transactional` (a write in one
retried transaction) and `db.Tx` (what a write sees).
"""

from db.pool import Tx, connection, figure, query, reset_pool, retries, rows, shop_version, transactional

__all__ = ["Tx", "connection", "figure", "query", "reset_pool", "retries", "rows", "shop_version", "transactional"]
