-- One-time codes: reset codes (24 hours) and recovery codes, stored as SHA-256 (duka/codes.py).

-- name: insert_code
-- A new code for a user (%(hours)s NULL: it does not run out).
INSERT INTO one_time_codes (user_id, kind, code_hash, created_by, expires_at)
VALUES (%(user_id)s, %(kind)s, %(code_hash)s, %(created_by)s,
        IF(%(hours)s IS NULL, NULL, NOW() + INTERVAL %(hours)s HOUR));

-- name: retire_codes
-- Earlier codes of this kind stop working when new ones are issued.
UPDATE one_time_codes SET used_at = NOW() WHERE user_id = %(user_id)s AND kind = %(kind)s AND used_at IS NULL;

-- name: usable_code
-- A code of this user that is neither used nor run out, locked while it is spent.
SELECT id, kind, created_by FROM one_time_codes
 WHERE user_id = %(user_id)s AND code_hash = %(code_hash)s AND used_at IS NULL
   AND (expires_at IS NULL OR expires_at > NOW())
   FOR UPDATE;

-- name: spend_code
-- A code works once.
UPDATE one_time_codes SET used_at = NOW() WHERE id = %(code_id)s AND used_at IS NULL;

-- name: recovery_codes_left
-- How many recovery codes the user still has.
SELECT COUNT(*) AS n FROM one_time_codes WHERE user_id = %(user_id)s AND kind = 'recovery' AND used_at IS NULL;
