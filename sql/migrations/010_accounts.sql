-- Accounts that hold under attack (issue 10):
--  * sessions on the server: the browser keeps a random token in a cookie, the database its SHA-256, so a
--    refresh or a bookmark comes back signed in, and a logout (or a password change) ends it everywhere;
--  * login guards: attempts are claimed one by one (a row per phone number, registered or not, and per client
--    address) before any password is checked, so parallel guesses cannot pass the limit and an unknown phone
--    behaves exactly like a known one. They replace users.failed_logins / users.locked_until;
--  * one-time codes: an owner's or the operator's reset code (24 hours) and the recovery codes a user gets at
--    registration, stored as SHA-256 of random codes (60 bits each: a hash that cannot be reversed);
--  * invitations: a phone number invited to a shop as clerk or analyst; nobody is a member before accepting;
--  * account events (logins, failures, lockouts, resets, invitations, members added) in audit_log, with the
--    client address where known. An account event may have no shop (a login) and no row (an unknown phone).

CREATE TABLE IF NOT EXISTS sessions (
  id              BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  token_hash      CHAR(64) NOT NULL,                 -- SHA-256 (hex) of the cookie's token
  user_id         INT UNSIGNED NOT NULL,
  shop_id         INT UNSIGNED NULL,                 -- the shop chosen last (NULL: the user has none yet)
  created_at      DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_seen_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,  -- idle for 30 minutes: ask the password again
  expires_at      DATETIME NOT NULL,                 -- 12 hours after created_at, whatever happens
  revoked_at      DATETIME NULL,                     -- logged out, or ended by a password change or reset
  client_address  VARCHAR(45) NULL,
  user_agent      VARCHAR(255) NULL,
  UNIQUE KEY uq_sessions_token (token_hash),
  KEY ix_sessions_user (user_id, revoked_at),
  CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS login_guards (
  guard_key       VARCHAR(80) NOT NULL PRIMARY KEY,  -- 'phone:+254712345678', 'code:+2547…', 'address:10.0.0.7'
  attempts        INT UNSIGNED NOT NULL DEFAULT 0,   -- claimed in the current window
  window_started  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  locked_until    DATETIME NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS one_time_codes (
  id              INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  user_id         INT UNSIGNED NOT NULL,
  kind            ENUM('reset','recovery') NOT NULL,
  code_hash       CHAR(64) NOT NULL,
  created_by      INT UNSIGNED NULL,                 -- the owner who issued a reset; NULL: the user or the operator
  created_at      DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at      DATETIME NULL,                     -- reset codes: 24 hours; recovery codes do not expire
  used_at         DATETIME NULL,
  UNIQUE KEY uq_codes_hash (code_hash),
  KEY ix_codes_user (user_id, kind, used_at),
  CONSTRAINT fk_codes_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS invitations (
  id              INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  shop_id         INT UNSIGNED NOT NULL,
  phone           VARCHAR(20) NOT NULL,              -- E.164; registered or not
  role            ENUM('clerk','analyst') NOT NULL,
  status          ENUM('pending','accepted','declined','cancelled') NOT NULL DEFAULT 'pending',
  invited_by      INT UNSIGNED NOT NULL,
  created_at      DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at      DATETIME NOT NULL,
  decided_at      DATETIME NULL,
  decided_by      INT UNSIGNED NULL,
  KEY ix_invitations_phone (phone, status),
  KEY ix_invitations_shop (shop_id, status),
  CONSTRAINT fk_invitations_shop FOREIGN KEY (shop_id) REFERENCES shops (id),
  CONSTRAINT fk_invitations_by FOREIGN KEY (invited_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE audit_log
  MODIFY shop_id INT UNSIGNED NULL,
  MODIFY row_id INT UNSIGNED NULL,
  MODIFY action ENUM('update','void','delete','insert',
                     'login','login_failed','login_refused','logout','password_changed','reset_code_issued',
                     'recovery_codes_issued','password_reset','invited','invitation_cancelled',
                     'invitation_accepted','invitation_declined') NOT NULL,
  ADD COLUMN client_address VARCHAR(45) NULL;

ALTER TABLE users DROP COLUMN failed_logins, DROP COLUMN locked_until;

DELIMITER $$

-- A member added (by accepting an invitation, or by registering a shop) is an account event too.
DROP TRIGGER IF EXISTS shop_members_audit_insert $$
CREATE TRIGGER shop_members_audit_insert AFTER INSERT ON shop_members FOR EACH ROW
BEGIN
  INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
  VALUES (NEW.shop_id, 'shop_members', NEW.user_id, 'insert', @daftari_user, NULL,
          JSON_OBJECT('user_id', NEW.user_id, 'role', NEW.role));
END $$

DELIMITER ;
