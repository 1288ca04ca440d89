-- Idempotency keys of POST /api/v1/sales and /payments (duka/idempotency.py).

-- name: idempotency_key_for_update
-- The key's first request in this shop, locked until the transaction ends.
SELECT request_hash, user_id, result, response, status
  FROM idempotency_keys
 WHERE shop_id = %(shop_id)s AND idem_key = %(idem_key)s
   FOR UPDATE;

-- name: insert_idempotency_key
-- A key's first request, written in the same transaction as what it recorded.
INSERT INTO idempotency_keys (shop_id, idem_key, token_id, user_id, request_hash, result)
VALUES (%(shop_id)s, %(idem_key)s, %(token_id)s, %(user_id)s, %(request_hash)s, %(result)s);

-- name: remember_idempotent_response
-- The body first answered for a key, so a repeat answers the same.
UPDATE idempotency_keys SET response = %(response)s, status = %(status)s
 WHERE shop_id = %(shop_id)s AND idem_key = %(idem_key)s AND response IS NULL;
