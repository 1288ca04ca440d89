-- The migration runner (db/migrate.py): its own table and its lock (a row, so it holds across a cluster).

-- name: create_schema_migrations
-- What is applied: one row per migration file, with the SHA-256 of the file as it was applied.
CREATE TABLE IF NOT EXISTS schema_migrations (
  version CHAR(3) PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  checksum CHAR(64) NOT NULL,
  applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- name: applied_migrations
-- Every applied migration, oldest first.
SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version;

-- name: record_migration
-- A migration file was applied.
INSERT INTO schema_migrations (version, name, checksum) VALUES (%(version)s, %(name)s, %(checksum)s);

-- name: create_schema_lock
-- The migration lock as a row, so it holds across the nodes of a Galera cluster (GET_LOCK is per node).
CREATE TABLE IF NOT EXISTS schema_lock (
  name VARCHAR(20) PRIMARY KEY,
  holder VARCHAR(100) NOT NULL,
  taken_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- name: schema_lock_session
-- Where this migration run works: the server's port, the account (a holder of the same account is always in its
-- process list, PROCESS or not) and host (a node of a cluster), and its connection's id.
SELECT CONCAT(@@port, '/', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '/', @@hostname) AS node,
       CONNECTION_ID() AS connection;

-- name: connection_alive
-- Whether a connection of this server is still open (the admin account sees its own, and with PROCESS all).
SELECT 1 AS alive FROM information_schema.processlist WHERE id = %(connection)s;

-- name: take_schema_lock
-- Take the lock: one row per lock name (a duplicate key while another run holds it).
INSERT INTO schema_lock (name, holder) VALUES ('migrate', %(holder)s);

-- name: schema_lock_holder
-- Who holds the lock, since when, and whether that is longer ago than a run may take (a crashed run's row).
SELECT holder, taken_at, taken_at < NOW() - INTERVAL %(stale_seconds)s SECOND AS stale
  FROM schema_lock WHERE name = 'migrate';

-- name: break_stale_schema_lock
-- A lock left by a run that died: taken over only if it is still that same stale row.
DELETE FROM schema_lock
 WHERE name = 'migrate' AND holder = %(holder)s AND taken_at < NOW() - INTERVAL %(stale_seconds)s SECOND;

-- name: release_schema_lock
-- The next run may go.
DELETE FROM schema_lock WHERE name = 'migrate' AND holder = %(holder)s;
