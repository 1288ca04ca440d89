-- Login guards: attempts claimed one at a time before a password or code is checked (duka/guards.py).

-- name: ensure_guard
-- The guard's row, made on first use (a phone that has no account gets one too: nothing is enumerated).
INSERT IGNORE INTO login_guards (guard_key) VALUES (%(guard_key)s);

-- name: claim_guard
-- Claim one attempt unless the key is locked: a window older than %(window)s seconds (or a lock that has run
-- out) starts again at 1, and the attempt that reaches %(limit)s locks the key. MySQL and MariaDB assign left to
-- right, so window_started and locked_until read the new attempts. One changed row: the claim holds.
UPDATE login_guards
   SET attempts = IF(window_started <= NOW() - INTERVAL %(window)s SECOND OR locked_until IS NOT NULL, 1, attempts + 1),
       window_started = IF(attempts = 1, NOW(), window_started),
       locked_until = IF(attempts >= %(limit)s, NOW() + INTERVAL %(lock)s SECOND, NULL)
 WHERE guard_key = %(guard_key)s AND (locked_until IS NULL OR locked_until <= NOW());

-- name: guard_wait
-- How many seconds a locked key still waits.
SELECT GREATEST(0, TIMESTAMPDIFF(SECOND, NOW(), locked_until)) AS seconds, attempts
  FROM login_guards WHERE guard_key = %(guard_key)s;

-- name: release_guard
-- A success forgets the key's earlier failures.
DELETE FROM login_guards WHERE guard_key = %(guard_key)s;

-- name: refund_guard
-- A success gives the client address its attempt back (only failures count against an address), and with it
-- the lock that attempt may have brought.
UPDATE login_guards SET attempts = GREATEST(attempts, 1) - 1, locked_until = NULL
 WHERE guard_key = %(guard_key)s;
