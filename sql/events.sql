-- Account events in the audit log (duka/events.py).

-- name: insert_account_event
-- One account event: a login, a failure, a lockout, a reset, an invitation; the client address where known.
INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, client_address, new_values)
VALUES (%(shop_id)s, %(table_name)s, %(row_id)s, %(action)s, %(changed_by)s, %(address)s, %(details)s);

-- name: account_events_of_user
-- The latest account events about one user (the profile page's "recent activity").
SELECT action, client_address, new_values,
       UNIX_TIMESTAMP(changed_at) AS changed_epoch
  FROM audit_log
 WHERE table_name = 'users' AND row_id = %(user_id)s
 ORDER BY id DESC
 LIMIT %(limit)s;
