-- The read-only runner for analyst questions (db/reader.py).

-- name: reader_time_limit_mariadb
-- MariaDB stops any statement of this session after so many seconds (error 1969).
SET SESSION max_statement_time = %(seconds)s;

-- name: reader_time_limit_mysql
-- MySQL stops any SELECT of this session after so many milliseconds (error 3024).
SET SESSION MAX_EXECUTION_TIME = %(milliseconds)s;

-- name: reader_read_only
-- Every transaction of this session is read-only (a write fails with error 1792).
SET SESSION TRANSACTION READ ONLY;

-- name: server_version
-- Which server this is (MariaDB and MySQL name their time limits differently).
SELECT VERSION() AS version;

-- name: create_reader_account
-- The SELECT-only account of the private server (its password lives in .data/mariadb/reader.cnf).
CREATE USER IF NOT EXISTS 'daftari_reader'@'localhost' IDENTIFIED BY %(password)s;

-- name: set_reader_password
-- Keep the account's password equal to the one on disk.
ALTER USER 'daftari_reader'@'localhost' IDENTIFIED BY %(password)s;

-- name: reader_fences_mariadb
-- On a Galera cluster the read endpoint may reach any node: wsrep_sync_wait makes it apply every write committed
-- anywhere first, so an answer cached under a shop's version is not older than that version. Derived tables are materialised as written, never merged into the query or handed its conditions: each table a question reads sits behind a derived table of the shop's rows (duka/sqlcheck.py), and this keeps every other condition away from other shops' rows.
SET SESSION optimizer_switch = 'derived_merge=off,condition_pushdown_for_derived=off,split_materialized=off'
    /*M! , SESSION wsrep_sync_wait = 1 */;

-- name: reader_fences_mysql
-- The same on MySQL 8: derived tables materialised, no condition pushed into them.
SET SESSION optimizer_switch = 'derived_merge=off,derived_condition_pushdown=off';
