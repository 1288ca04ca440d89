-- Personal API tokens (issue 12): a member's token for one shop, stored as the SHA-256 of a random 256-bit
-- secret (the secret is shown once and never kept). The role is not stored: it is read from shop_members on
-- every request, so a removed member's token stops working and a changed role applies at once.

CREATE TABLE IF NOT EXISTS api_tokens (
  id            INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  shop_id       INT UNSIGNED NOT NULL,
  user_id       INT UNSIGNED NOT NULL,
  name          VARCHAR(80)  NOT NULL,
  token_hash    CHAR(64)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- hex SHA-256 of the secret
  read_only     TINYINT(1)   NOT NULL DEFAULT 0,
  created_at    DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_used_at  DATETIME     NULL,
  revoked_at    DATETIME     NULL,
  UNIQUE KEY uq_api_tokens_hash (token_hash),
  KEY ix_api_tokens_member (shop_id, user_id),
  CONSTRAINT fk_api_tokens_shop FOREIGN KEY (shop_id) REFERENCES shops (id),
  CONSTRAINT fk_api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An Idempotency-Key of a POST of sales or payments: the first request's hash and result, so a repeat answers
-- the same and never records twice; the same key with another body is refused. Keys are per shop.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  shop_id       INT UNSIGNED NOT NULL,
  idem_key      VARCHAR(120) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  token_id      INT UNSIGNED NULL,
  user_id       INT UNSIGNED NOT NULL,
  request_hash  CHAR(64)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  result        JSON         NOT NULL,   -- what the rule returned (ids), written with the record itself
  response      JSON         NULL,       -- the body first answered, written just after
  status        SMALLINT UNSIGNED NOT NULL DEFAULT 201,
  created_at    DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (shop_id, idem_key),
  CONSTRAINT fk_idempotency_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
