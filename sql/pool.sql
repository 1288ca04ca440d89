-- The pool and transactions (db/pool.py).

-- name: set_acting_user
-- Who makes this transaction's changes: the audit triggers write it to audit_log.changed_by (NULL: nobody known).
SET @daftari_user = %(user_id)s;
