-- Sessions on the server: the browser holds a random token, the database its SHA-256 (duka/sessions.py).

-- name: insert_session
-- A new session, ending at the latest %(hours)s hours from now.
INSERT INTO sessions (token_hash, user_id, shop_id, expires_at, client_address, user_agent)
VALUES (%(token_hash)s, %(user_id)s, %(shop_id)s, NOW() + INTERVAL %(hours)s HOUR, %(address)s, %(user_agent)s);

-- name: session_by_token
-- A session and its user; whether it was ended, ran out (12 hours), or sat idle longer than %(idle)s seconds.
SELECT s.id, s.user_id, s.shop_id, u.first_name, u.last_name, u.phone, u.language,
       s.revoked_at IS NOT NULL AS revoked,
       s.expires_at <= NOW() AS expired,
       s.last_seen_at <= NOW() - INTERVAL %(idle)s SECOND AS idle,
       s.last_seen_at <= NOW() - INTERVAL 60 SECOND AS stale
  FROM sessions s JOIN users u ON u.id = s.user_id
 WHERE s.token_hash = %(token_hash)s;

-- name: touch_session
-- The session was used just now (written at most once a minute).
UPDATE sessions SET last_seen_at = NOW() WHERE id = %(session_id)s AND revoked_at IS NULL;

-- name: set_session_shop
-- The shop the session works in, so a refresh comes back to it.
UPDATE sessions SET shop_id = %(shop_id)s WHERE id = %(session_id)s AND user_id = %(user_id)s;

-- name: revoke_session
-- Log out: this session ends (every tab holding it is signed out on its next action).
UPDATE sessions SET revoked_at = NOW() WHERE token_hash = %(token_hash)s AND revoked_at IS NULL;

-- name: revoke_other_sessions
-- A password change ends the user's other sessions (%(keep)s: the one that changed it, or '' for all).
UPDATE sessions SET revoked_at = NOW()
 WHERE user_id = %(user_id)s AND revoked_at IS NULL AND token_hash <> %(keep)s;

-- name: live_sessions_of_user
-- The user's sessions still open, newest first (the profile page lists them).
SELECT token_hash, created_at, last_seen_at, client_address, user_agent
  FROM sessions
 WHERE user_id = %(user_id)s AND revoked_at IS NULL AND expires_at > NOW()
   AND last_seen_at > NOW() - INTERVAL %(idle)s SECOND
 ORDER BY last_seen_at DESC;
