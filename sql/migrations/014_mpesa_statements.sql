-- M-Pesa statement import: the owner's rules that put a statement's payments into categories (pattern text, the
-- category's name, an order: the first rule that matches wins), and every receipt already imported, so that a
-- second import of a statement, or an overlapping one, adds its new rows only. The receipt stays when its expense
-- is deleted (on purpose: the owner removed it, and a re-import must not bring it back).

CREATE TABLE IF NOT EXISTS mpesa_rules (
  id          INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  shop_id     INT UNSIGNED NOT NULL,
  position    SMALLINT UNSIGNED NOT NULL,
  pattern     VARCHAR(120) NOT NULL,
  category    VARCHAR(60) NOT NULL,
  KEY ix_mpesa_rules_shop (shop_id, position),
  CONSTRAINT fk_mpesa_rules_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS mpesa_receipts (
  shop_id       INT UNSIGNED NOT NULL,
  receipt_no    VARCHAR(20) NOT NULL,
  completed_at  DATETIME NOT NULL,
  amount        DECIMAL(12,2) NOT NULL,
  expense_id    INT UNSIGNED NULL,
  customer_id   INT UNSIGNED NULL,
  imported_by   INT UNSIGNED NULL,
  imported_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (shop_id, receipt_no),
  CONSTRAINT fk_mpesa_receipts_shop FOREIGN KEY (shop_id) REFERENCES shops (id),
  CONSTRAINT fk_mpesa_receipts_expense FOREIGN KEY (expense_id) REFERENCES expenses (id) ON DELETE SET NULL,
  CONSTRAINT fk_mpesa_receipts_customer FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The default rules for the shops that exist now; a shop made later gets them from the code on first use.
INSERT INTO mpesa_rules (shop_id, position, pattern, category)
SELECT s.id, d.position, d.pattern, d.category
  FROM shops s
  JOIN (SELECT 1 AS position, 'Charge' AS pattern, 'Fees' AS category
        UNION ALL SELECT 2, 'Pay Bill Online to * KPLC', 'Utilities'
        UNION ALL SELECT 3, 'Merchant Payment', 'Groceries'
        UNION ALL SELECT 4, 'Airtime Purchase', 'Airtime'
        UNION ALL SELECT 5, 'Customer Transfer to', 'Transfers') d
 WHERE NOT EXISTS (SELECT 1 FROM mpesa_rules r WHERE r.shop_id = s.id);
