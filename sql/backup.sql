-- Backups and restores of the app database (db/backup.py).

-- name: binary_logging
-- Whether the server keeps binary logs (then a dump records its position for point-in-time recovery).
SELECT @@log_bin AS log_bin;

-- name: tables_of_database
-- The tables and views of a database (a restore goes only into one without any).
SELECT table_name AS name FROM information_schema.tables WHERE table_schema = %(database)s ORDER BY table_name;

-- name: objects_of_database
-- How many tables, triggers and routines a database holds (what a restore reports).
SELECT (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = %(database)s) AS tables,
       (SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = %(database)s) AS triggers,
       (SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = %(database)s) AS routines;

-- name: create_probe_table
-- A throwaway table: may this account create triggers here (binary logging without SUPER: error 1419)?
CREATE TABLE IF NOT EXISTS daftari_restore_probe (id INT NOT NULL);

-- name: create_probe_trigger
-- The probe itself, made before anything of the backup is loaded.
CREATE TRIGGER daftari_restore_probe_check BEFORE INSERT ON daftari_restore_probe FOR EACH ROW SET NEW.id = NEW.id;

-- name: drop_probe_table
-- The probe goes (its trigger with it).
DROP TABLE IF EXISTS daftari_restore_probe;
