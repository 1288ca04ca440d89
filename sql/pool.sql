-- The pool and transactions (db/pool.py).

-- name: set_acting_user
-- Who makes this transaction's changes: the audit triggers write it to audit_log.changed_by (NULL: nobody known).
SET @daftari_user = %(user_id)s;

-- name: start_app_session
-- Every app session, new or reset: utf8mb4 with the unicode collation, transactions by hand, the server's limit on each statement, and on a Galera cluster reads that wait until this node has applied every write already committed anywhere (wsrep_sync_wait = 1: a page reads what was just saved through another node; a no-op without Galera) (MariaDB runs the /*M! part, MySQL 5.7.8+ the /*!50708 part; each skips the other's).
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci, autocommit = 0
    /*M! , SESSION max_statement_time = %(seconds)s, SESSION wsrep_sync_wait = 1 */
    /*!50708 , SESSION MAX_EXECUTION_TIME = %(milliseconds)s */;

-- name: version_of_shop
-- The shop's version number (migration 015): a cached read of the shop is served only while it is unchanged.
SELECT version FROM shop_versions WHERE shop_id = %(shop_id)s;

-- name: galera_is_on
-- One row ('wsrep_on', 'ON') on a Galera node; no row on MySQL or a MariaDB without it.
SHOW VARIABLES LIKE 'wsrep_on';
