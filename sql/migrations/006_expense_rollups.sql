-- Daily roll-ups of expenses, kept by triggers, so analytics over a year read a few thousand rows, not every
-- expense: per day and category (totals, trends, weekdays, categories) and per day and payment mode.
-- A bulk load may set @daftari_skip_rollups = 1 and rebuild the roll-ups of its shops afterwards
-- (simulate/run.py does; db/bulk.py rebuild_rollups).

CREATE TABLE IF NOT EXISTS expense_days (
  shop_id      INT UNSIGNED NOT NULL,
  spent_on     DATE NOT NULL,
  category_id  INT UNSIGNED NOT NULL,
  amount       DECIMAL(14,2) NOT NULL,
  cashback     DECIMAL(14,2) NOT NULL,
  expenses     INT NOT NULL,
  PRIMARY KEY (shop_id, spent_on, category_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS expense_day_modes (
  shop_id       INT UNSIGNED NOT NULL,
  spent_on      DATE NOT NULL,
  payment_mode  ENUM('Cash','M-Pesa','Credit Card','Debit Card','Bank transfer','Online') NOT NULL,
  amount        DECIMAL(14,2) NOT NULL,
  cashback      DECIMAL(14,2) NOT NULL,
  expenses      INT NOT NULL,
  PRIMARY KEY (shop_id, spent_on, payment_mode)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DELIMITER $$

DROP TRIGGER IF EXISTS expenses_after_insert $$
CREATE TRIGGER expenses_after_insert AFTER INSERT ON expenses FOR EACH ROW
BEGIN
  IF @daftari_skip_rollups IS NULL THEN
    INSERT INTO expense_days (shop_id, spent_on, category_id, amount, cashback, expenses)
    VALUES (NEW.shop_id, NEW.spent_on, NEW.category_id, NEW.amount, NEW.cashback, 1)
    ON DUPLICATE KEY UPDATE amount = amount + NEW.amount, cashback = cashback + NEW.cashback, expenses = expenses + 1;
    INSERT INTO expense_day_modes (shop_id, spent_on, payment_mode, amount, cashback, expenses)
    VALUES (NEW.shop_id, NEW.spent_on, NEW.payment_mode, NEW.amount, NEW.cashback, 1)
    ON DUPLICATE KEY UPDATE amount = amount + NEW.amount, cashback = cashback + NEW.cashback, expenses = expenses + 1;
  END IF;
END $$

DROP TRIGGER IF EXISTS expenses_after_delete $$
CREATE TRIGGER expenses_after_delete AFTER DELETE ON expenses FOR EACH ROW
BEGIN
  UPDATE expense_days SET amount = amount - OLD.amount, cashback = cashback - OLD.cashback, expenses = expenses - 1
   WHERE shop_id = OLD.shop_id AND spent_on = OLD.spent_on AND category_id = OLD.category_id;
  DELETE FROM expense_days
   WHERE shop_id = OLD.shop_id AND spent_on = OLD.spent_on AND category_id = OLD.category_id AND expenses = 0;
  UPDATE expense_day_modes SET amount = amount - OLD.amount, cashback = cashback - OLD.cashback, expenses = expenses - 1
   WHERE shop_id = OLD.shop_id AND spent_on = OLD.spent_on AND payment_mode = OLD.payment_mode;
  DELETE FROM expense_day_modes
   WHERE shop_id = OLD.shop_id AND spent_on = OLD.spent_on AND payment_mode = OLD.payment_mode AND expenses = 0;
END $$

DROP TRIGGER IF EXISTS expenses_after_update $$
CREATE TRIGGER expenses_after_update AFTER UPDATE ON expenses FOR EACH ROW
BEGIN
  IF NOT (OLD.shop_id <=> NEW.shop_id AND OLD.spent_on <=> NEW.spent_on AND OLD.category_id <=> NEW.category_id
          AND OLD.payment_mode <=> NEW.payment_mode AND OLD.amount <=> NEW.amount AND OLD.cashback <=> NEW.cashback) THEN
    UPDATE expense_days SET amount = amount - OLD.amount, cashback = cashback - OLD.cashback, expenses = expenses - 1
     WHERE shop_id = OLD.shop_id AND spent_on = OLD.spent_on AND category_id = OLD.category_id;
    DELETE FROM expense_days
     WHERE shop_id = OLD.shop_id AND spent_on = OLD.spent_on AND category_id = OLD.category_id AND expenses = 0;
    UPDATE expense_day_modes SET amount = amount - OLD.amount, cashback = cashback - OLD.cashback, expenses = expenses - 1
     WHERE shop_id = OLD.shop_id AND spent_on = OLD.spent_on AND payment_mode = OLD.payment_mode;
    DELETE FROM expense_day_modes
     WHERE shop_id = OLD.shop_id AND spent_on = OLD.spent_on AND payment_mode = OLD.payment_mode AND expenses = 0;
    INSERT INTO expense_days (shop_id, spent_on, category_id, amount, cashback, expenses)
    VALUES (NEW.shop_id, NEW.spent_on, NEW.category_id, NEW.amount, NEW.cashback, 1)
    ON DUPLICATE KEY UPDATE amount = amount + NEW.amount, cashback = cashback + NEW.cashback, expenses = expenses + 1;
    INSERT INTO expense_day_modes (shop_id, spent_on, payment_mode, amount, cashback, expenses)
    VALUES (NEW.shop_id, NEW.spent_on, NEW.payment_mode, NEW.amount, NEW.cashback, 1)
    ON DUPLICATE KEY UPDATE amount = amount + NEW.amount, cashback = cashback + NEW.cashback, expenses = expenses + 1;
  END IF;
END $$

DELIMITER ;

-- Expenses recorded before this migration.
DELETE FROM expense_days;
INSERT INTO expense_days (shop_id, spent_on, category_id, amount, cashback, expenses)
SELECT shop_id, spent_on, category_id, SUM(amount), SUM(cashback), COUNT(*) FROM expenses
 GROUP BY shop_id, spent_on, category_id;
DELETE FROM expense_day_modes;
INSERT INTO expense_day_modes (shop_id, spent_on, payment_mode, amount, cashback, expenses)
SELECT shop_id, spent_on, payment_mode, SUM(amount), SUM(cashback), COUNT(*) FROM expenses
 GROUP BY shop_id, spent_on, payment_mode;
