-- The one-line health check (db/health.py), run with the app's own account.

-- name: health_server_version
-- Which server answers, and its version.
SELECT VERSION() AS version;

-- name: health_applied_migrations
-- What the database says is applied, with each file's checksum as it was applied.
SELECT version, checksum FROM schema_migrations;
