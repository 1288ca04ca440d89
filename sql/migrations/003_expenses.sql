-- Expenses: categories with monthly budgets, and what a household or shop spends.
-- A public contract like the debt book's. Money is DECIMAL(12,2); keys start with shop_id.

CREATE TABLE IF NOT EXISTS categories (
  id              INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  shop_id         INT UNSIGNED NOT NULL,
  name            VARCHAR(60) NOT NULL,
  description     VARCHAR(255) NULL,
  monthly_budget  DECIMAL(12,2) NULL,
  created_at      DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_categories_shop_id (shop_id, id),
  UNIQUE KEY uq_categories_shop_name (shop_id, name),
  CONSTRAINT fk_categories_shop FOREIGN KEY (shop_id) REFERENCES shops (id),
  CONSTRAINT chk_categories_budget CHECK (monthly_budget IS NULL OR monthly_budget > 0),
  CONSTRAINT chk_categories_name CHECK (CHAR_LENGTH(TRIM(name)) > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS expenses (
  id            INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  shop_id       INT UNSIGNED NOT NULL,
  category_id   INT UNSIGNED NOT NULL,
  spent_on      DATE NOT NULL,
  amount        DECIMAL(12,2) NOT NULL,
  payment_mode  ENUM('Cash','M-Pesa','Credit Card','Debit Card','Bank transfer','Online') NOT NULL DEFAULT 'Cash',
  cashback      DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  description   VARCHAR(255) NOT NULL DEFAULT '',
  recorded_by   INT UNSIGNED NULL,
  created_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  edited_at     DATETIME NULL,
  edited_by     INT UNSIGNED NULL,
  -- The list pages by (shop_id, spent_on DESC, id DESC); analytics read the covering index alone.
  KEY ix_expenses_shop_day (shop_id, spent_on, id),
  KEY ix_expenses_shop_cover (shop_id, spent_on, category_id, payment_mode, amount, cashback),
  KEY ix_expenses_shop_category (shop_id, category_id, spent_on),
  CONSTRAINT fk_expenses_category FOREIGN KEY (shop_id, category_id) REFERENCES categories (shop_id, id),
  CONSTRAINT chk_expenses_amount CHECK (amount > 0),
  CONSTRAINT chk_expenses_cashback CHECK (cashback >= 0 AND cashback <= amount)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every shop starts with the same sensible categories, whichever client creates it.
DELIMITER $$
DROP TRIGGER IF EXISTS shops_after_insert $$
CREATE TRIGGER shops_after_insert AFTER INSERT ON shops FOR EACH ROW
BEGIN
  INSERT INTO categories (shop_id, name) VALUES
    (NEW.id, 'Groceries'), (NEW.id, 'Rent'), (NEW.id, 'Food'), (NEW.id, 'Transport'), (NEW.id, 'Utilities'),
    (NEW.id, 'Bills'), (NEW.id, 'Health'), (NEW.id, 'Education'), (NEW.id, 'Entertainment'),
    (NEW.id, 'Shopping'), (NEW.id, 'Subscriptions'), (NEW.id, 'Other');
END $$
DELIMITER ;

-- Shops that existed before this migration get them too.
INSERT IGNORE INTO categories (shop_id, name)
SELECT s.id, d.name
  FROM shops s
  CROSS JOIN (SELECT 'Groceries' AS name UNION ALL SELECT 'Rent' UNION ALL SELECT 'Food' UNION ALL SELECT 'Transport'
              UNION ALL SELECT 'Utilities' UNION ALL SELECT 'Bills' UNION ALL SELECT 'Health'
              UNION ALL SELECT 'Education' UNION ALL SELECT 'Entertainment' UNION ALL SELECT 'Shopping'
              UNION ALL SELECT 'Subscriptions' UNION ALL SELECT 'Other') d;
