-- Personal API tokens (duka/tokens.py).

-- name: insert_api_token
-- A new token of a member for one shop (its hash only).
INSERT INTO api_tokens (shop_id, user_id, name, token_hash, read_only)
VALUES (%(shop_id)s, %(user_id)s, %(name)s, %(token_hash)s, %(read_only)s);

-- name: api_tokens_of_member
-- A member's tokens for one shop, newest first, without their hashes.
SELECT id AS token_id, name, read_only, created_at, last_used_at, revoked_at
  FROM api_tokens
 WHERE shop_id = %(shop_id)s AND user_id = %(user_id)s
 ORDER BY created_at DESC, id DESC;

-- name: revoke_api_token
-- A member revokes one of their own tokens for this shop (a revoked one stays revoked).
UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, NOW())
 WHERE shop_id = %(shop_id)s AND user_id = %(user_id)s AND id = %(token_id)s;

-- name: api_token_by_hash
-- The live token with this hash: whose, for which shop, and whether it was used in the last minute.
SELECT id AS token_id, shop_id, user_id, read_only,
       last_used_at IS NOT NULL AND last_used_at > NOW() - INTERVAL 60 SECOND AS fresh
  FROM api_tokens
 WHERE token_hash = %(token_hash)s AND revoked_at IS NULL;

-- name: touch_api_token
-- The token was used now (written at most once a minute).
UPDATE api_tokens SET last_used_at = NOW() WHERE id = %(token_id)s;

-- name: token_user_by_phone
-- The account with this phone number (E.164), for ./daftari token create.
SELECT id AS user_id FROM users WHERE phone = %(phone)s;
