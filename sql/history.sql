-- The audit log, read (duka/history.py); the triggers of migration 008 write it.

-- name: audit_of_record
-- Every change of one record of this shop, newest first, with who made it (NULL: SQL outside the app).
SELECT a.id, a.action, UNIX_TIMESTAMP(a.changed_at) AS changed_epoch, a.old_values, a.new_values, u.first_name, u.last_name
  FROM audit_log a
  LEFT JOIN users u ON u.id = a.changed_by
 WHERE a.shop_id = %(shop_id)s AND a.table_name = %(table_name)s AND a.row_id = %(row_id)s
 ORDER BY a.id DESC;
