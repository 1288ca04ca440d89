-- The pool and transactions (db/pool.py).

-- name: set_acting_user
-- Who makes this transaction's changes: the audit triggers write it to audit_log.changed_by (NULL: nobody known).
SET @daftari_user = %(user_id)s;

-- name: start_app_session
-- Every app session, new or reset: utf8mb4 with the unicode collation, transactions by hand, and the server's limit on each statement (MariaDB runs the /*M! part, MySQL 5.7.8+ the /*!50708 part; each skips the other's).
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci, autocommit = 0
    /*M! , SESSION max_statement_time = %(seconds)s */ /*!50708 , SESSION MAX_EXECUTION_TIME = %(milliseconds)s */;
