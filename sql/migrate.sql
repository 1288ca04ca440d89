-- The migration runner (db/migrate.py): its own table and its lock.

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

-- name: take_migration_lock
-- One migration run at a time on this server (waits up to a minute).
SELECT GET_LOCK('daftari_migrate', 60) AS taken;

-- name: release_migration_lock
-- The next run may go.
SELECT RELEASE_LOCK('daftari_migrate') AS released;
