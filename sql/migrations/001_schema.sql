-- Daftari's tables. A public contract: analysts query these names directly.
-- Money is DECIMAL(12,2). Every table of shop data starts its keys with shop_id.

CREATE TABLE IF NOT EXISTS users (
  id              INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  first_name      VARCHAR(80)  NOT NULL,
  last_name       VARCHAR(80)  NOT NULL,
  phone           VARCHAR(20)  NOT NULL,          -- E.164, e.g. +254712345678
  password_hash   VARCHAR(100) NOT NULL,          -- bcrypt
  failed_logins   SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  locked_until    DATETIME NULL,
  created_at      DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_users_phone (phone)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS shops (
  id          INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(120) NOT NULL,
  currency    CHAR(3) NOT NULL DEFAULT 'KES',
  created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS shop_members (
  shop_id     INT UNSIGNED NOT NULL,
  user_id     INT UNSIGNED NOT NULL,
  role        ENUM('owner','clerk','analyst') NOT NULL,
  added_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (shop_id, user_id),
  KEY ix_members_user (user_id),
  CONSTRAINT fk_members_shop FOREIGN KEY (shop_id) REFERENCES shops (id),
  CONSTRAINT fk_members_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS customers (
  id          INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  shop_id     INT UNSIGNED NOT NULL,
  name        VARCHAR(120) NOT NULL,
  phone       VARCHAR(20) NULL,                    -- E.164 when given
  note        VARCHAR(255) NULL,
  created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  created_by  INT UNSIGNED NULL,
  UNIQUE KEY uq_customers_shop_id (shop_id, id),   -- target of the tenant-safe foreign keys
  UNIQUE KEY uq_customers_shop_phone (shop_id, phone),
  KEY ix_customers_shop_name (shop_id, name),
  CONSTRAINT fk_customers_shop FOREIGN KEY (shop_id) REFERENCES shops (id),
  CONSTRAINT chk_customers_name CHECK (CHAR_LENGTH(TRIM(name)) > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- paid is kept by the payment triggers; balance is derived. A voided debt stays, flagged.
CREATE TABLE IF NOT EXISTS debts (
  id           INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  shop_id      INT UNSIGNED NOT NULL,
  customer_id  INT UNSIGNED NOT NULL,
  product      VARCHAR(160) NOT NULL,
  quantity     DECIMAL(12,3) NULL,
  unit_price   DECIMAL(12,2) NULL,
  total        DECIMAL(12,2) NOT NULL,
  paid         DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  balance      DECIMAL(12,2) AS (total - paid) STORED,
  debt_date    DATE NOT NULL,
  due_date     DATE NULL,
  created_by   INT UNSIGNED NULL,
  created_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  edited_at    DATETIME NULL,
  edited_by    INT UNSIGNED NULL,
  voided_at    DATETIME NULL,
  voided_by    INT UNSIGNED NULL,
  void_reason  VARCHAR(255) NULL,
  UNIQUE KEY uq_debts_shop_id (shop_id, id),
  KEY ix_debts_shop_customer (shop_id, customer_id, debt_date),
  KEY ix_debts_shop_date (shop_id, debt_date),
  CONSTRAINT fk_debts_customer FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id),
  CONSTRAINT chk_debts_total CHECK (total > 0),
  CONSTRAINT chk_debts_paid CHECK (paid >= 0 AND paid <= total)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS payments (
  id           INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  shop_id      INT UNSIGNED NOT NULL,
  debt_id      INT UNSIGNED NOT NULL,
  amount       DECIMAL(12,2) NOT NULL,
  method       ENUM('Cash','M-Pesa','Bank','Other') NOT NULL DEFAULT 'Cash',
  reference    VARCHAR(64) NULL,
  paid_at      DATE NOT NULL,
  recorded_by  INT UNSIGNED NULL,
  created_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  edited_at    DATETIME NULL,
  edited_by    INT UNSIGNED NULL,
  voided_at    DATETIME NULL,
  voided_by    INT UNSIGNED NULL,
  void_reason  VARCHAR(255) NULL,
  KEY ix_payments_shop_debt (shop_id, debt_id),
  KEY ix_payments_shop_date (shop_id, paid_at),
  CONSTRAINT fk_payments_debt FOREIGN KEY (shop_id, debt_id) REFERENCES debts (shop_id, id),
  CONSTRAINT chk_payments_amount CHECK (amount > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per customer who owes money. Written only by the triggers of 002.
CREATE TABLE IF NOT EXISTS active_debtors (
  shop_id      INT UNSIGNED NOT NULL,
  customer_id  INT UNSIGNED NOT NULL,
  balance      DECIMAL(12,2) NOT NULL,
  updated_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (shop_id, customer_id),
  KEY ix_active_debtors_balance (shop_id, balance),
  CONSTRAINT fk_active_debtors_customer FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
