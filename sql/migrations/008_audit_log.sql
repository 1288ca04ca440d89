-- A history that holds for any SQL client: every UPDATE and DELETE of the shop's records leaves a row in
-- audit_log with the values before and after, written by triggers (so a correction made with the mysql
-- client is kept as surely as one made in the app). `changed_by` is @daftari_user, which db/ sets in each
-- write transaction of the app; raw SQL leaves it NULL.
--
-- Also here:
--  * customers can be archived (gone from pickers, history kept) and merged into another (merged_into);
--  * the columns that hold sums are wide enough that no legal sequence of entries can overflow them: an
--    entry is at most 9,999,999,999.99 (< 10^10) and a table holds fewer than 2^32 (< 4.3 * 10^9) rows
--    (INT UNSIGNED keys), so any sum is below 4.3 * 10^19 < 10^22, what DECIMAL(24,2) holds.

CREATE TABLE IF NOT EXISTS audit_log (
  id          BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  shop_id     INT UNSIGNED NOT NULL,
  table_name  VARCHAR(32) NOT NULL,
  row_id      INT UNSIGNED NOT NULL,                -- shop_members: the member's user_id
  action      ENUM('update','void','delete') NOT NULL,
  changed_by  INT UNSIGNED NULL,                    -- users.id; NULL for SQL run outside the app
  changed_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  old_values  JSON NULL,
  new_values  JSON NULL,
  KEY ix_audit_row (shop_id, table_name, row_id, id),
  KEY ix_audit_shop_time (shop_id, changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE customers
  ADD COLUMN archived_at DATETIME NULL,
  ADD COLUMN archived_by INT UNSIGNED NULL,
  ADD COLUMN merged_into INT UNSIGNED NULL;

ALTER TABLE active_debtors MODIFY balance DECIMAL(24,2) NOT NULL;
ALTER TABLE expense_days MODIFY amount DECIMAL(24,2) NOT NULL, MODIFY cashback DECIMAL(24,2) NOT NULL;
ALTER TABLE expense_day_modes MODIFY amount DECIMAL(24,2) NOT NULL, MODIFY cashback DECIMAL(24,2) NOT NULL;

DELIMITER $$

-- Sales. `paid` is kept by the payment triggers and each payment has its own history, so a change of
-- `paid` alone (a payment recorded) is not a correction of the sale.
DROP TRIGGER IF EXISTS debts_audit_update $$
CREATE TRIGGER debts_audit_update AFTER UPDATE ON debts FOR EACH ROW
BEGIN
  IF NOT (OLD.customer_id <=> NEW.customer_id AND OLD.product <=> NEW.product AND OLD.quantity <=> NEW.quantity
          AND OLD.unit_price <=> NEW.unit_price AND OLD.total <=> NEW.total AND OLD.debt_date <=> NEW.debt_date
          AND OLD.due_date <=> NEW.due_date AND OLD.voided_at <=> NEW.voided_at
          AND OLD.void_reason <=> NEW.void_reason) THEN
    INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
    VALUES (OLD.shop_id, 'debts', OLD.id,
            IF(OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL, 'void', 'update'), @daftari_user,
            JSON_OBJECT('customer_id', OLD.customer_id, 'product', OLD.product, 'quantity', OLD.quantity,
                        'unit_price', OLD.unit_price, 'total', OLD.total, 'paid', OLD.paid,
                        'debt_date', OLD.debt_date, 'due_date', OLD.due_date,
                        'voided_at', OLD.voided_at, 'void_reason', OLD.void_reason),
            JSON_OBJECT('customer_id', NEW.customer_id, 'product', NEW.product, 'quantity', NEW.quantity,
                        'unit_price', NEW.unit_price, 'total', NEW.total, 'paid', NEW.paid,
                        'debt_date', NEW.debt_date, 'due_date', NEW.due_date,
                        'voided_at', NEW.voided_at, 'void_reason', NEW.void_reason));
  END IF;
END $$

DROP TRIGGER IF EXISTS payments_audit_update $$
CREATE TRIGGER payments_audit_update AFTER UPDATE ON payments FOR EACH ROW
BEGIN
  IF NOT (OLD.debt_id <=> NEW.debt_id AND OLD.amount <=> NEW.amount AND OLD.method <=> NEW.method
          AND OLD.reference <=> NEW.reference AND OLD.paid_at <=> NEW.paid_at
          AND OLD.voided_at <=> NEW.voided_at AND OLD.void_reason <=> NEW.void_reason) THEN
    INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
    VALUES (OLD.shop_id, 'payments', OLD.id,
            IF(OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL, 'void', 'update'), @daftari_user,
            JSON_OBJECT('debt_id', OLD.debt_id, 'amount', OLD.amount, 'method', OLD.method,
                        'reference', OLD.reference, 'paid_at', OLD.paid_at,
                        'voided_at', OLD.voided_at, 'void_reason', OLD.void_reason),
            JSON_OBJECT('debt_id', NEW.debt_id, 'amount', NEW.amount, 'method', NEW.method,
                        'reference', NEW.reference, 'paid_at', NEW.paid_at,
                        'voided_at', NEW.voided_at, 'void_reason', NEW.void_reason));
  END IF;
END $$

DROP TRIGGER IF EXISTS customers_audit_update $$
CREATE TRIGGER customers_audit_update AFTER UPDATE ON customers FOR EACH ROW
BEGIN
  IF NOT (OLD.name <=> NEW.name AND OLD.phone <=> NEW.phone AND OLD.note <=> NEW.note
          AND OLD.archived_at <=> NEW.archived_at AND OLD.merged_into <=> NEW.merged_into) THEN
    INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
    VALUES (OLD.shop_id, 'customers', OLD.id, 'update', @daftari_user,
            JSON_OBJECT('name', OLD.name, 'phone', OLD.phone, 'note', OLD.note,
                        'archived_at', OLD.archived_at, 'merged_into', OLD.merged_into),
            JSON_OBJECT('name', NEW.name, 'phone', NEW.phone, 'note', NEW.note,
                        'archived_at', NEW.archived_at, 'merged_into', NEW.merged_into));
  END IF;
END $$

DROP TRIGGER IF EXISTS customers_audit_delete $$
CREATE TRIGGER customers_audit_delete AFTER DELETE ON customers FOR EACH ROW
BEGIN
  INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
  VALUES (OLD.shop_id, 'customers', OLD.id, 'delete', @daftari_user,
          JSON_OBJECT('name', OLD.name, 'phone', OLD.phone, 'note', OLD.note,
                      'archived_at', OLD.archived_at, 'merged_into', OLD.merged_into), NULL);
END $$

DROP TRIGGER IF EXISTS expenses_audit_update $$
CREATE TRIGGER expenses_audit_update AFTER UPDATE ON expenses FOR EACH ROW
BEGIN
  IF NOT (OLD.category_id <=> NEW.category_id AND OLD.spent_on <=> NEW.spent_on AND OLD.amount <=> NEW.amount
          AND OLD.payment_mode <=> NEW.payment_mode AND OLD.cashback <=> NEW.cashback
          AND OLD.description <=> NEW.description) THEN
    INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
    VALUES (OLD.shop_id, 'expenses', OLD.id, 'update', @daftari_user,
            JSON_OBJECT('category_id', OLD.category_id, 'spent_on', OLD.spent_on, 'amount', OLD.amount,
                        'payment_mode', OLD.payment_mode, 'cashback', OLD.cashback,
                        'description', OLD.description),
            JSON_OBJECT('category_id', NEW.category_id, 'spent_on', NEW.spent_on, 'amount', NEW.amount,
                        'payment_mode', NEW.payment_mode, 'cashback', NEW.cashback,
                        'description', NEW.description));
  END IF;
END $$

DROP TRIGGER IF EXISTS expenses_audit_delete $$
CREATE TRIGGER expenses_audit_delete AFTER DELETE ON expenses FOR EACH ROW
BEGIN
  INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
  VALUES (OLD.shop_id, 'expenses', OLD.id, 'delete', @daftari_user,
          JSON_OBJECT('category_id', OLD.category_id, 'spent_on', OLD.spent_on, 'amount', OLD.amount,
                      'payment_mode', OLD.payment_mode, 'cashback', OLD.cashback,
                      'description', OLD.description, 'recorded_by', OLD.recorded_by,
                      'created_at', OLD.created_at), NULL);
END $$

DROP TRIGGER IF EXISTS categories_audit_update $$
CREATE TRIGGER categories_audit_update AFTER UPDATE ON categories FOR EACH ROW
BEGIN
  IF NOT (OLD.name <=> NEW.name AND OLD.description <=> NEW.description
          AND OLD.monthly_budget <=> NEW.monthly_budget) THEN
    INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
    VALUES (OLD.shop_id, 'categories', OLD.id, 'update', @daftari_user,
            JSON_OBJECT('name', OLD.name, 'description', OLD.description, 'monthly_budget', OLD.monthly_budget),
            JSON_OBJECT('name', NEW.name, 'description', NEW.description, 'monthly_budget', NEW.monthly_budget));
  END IF;
END $$

DROP TRIGGER IF EXISTS categories_audit_delete $$
CREATE TRIGGER categories_audit_delete AFTER DELETE ON categories FOR EACH ROW
BEGIN
  INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
  VALUES (OLD.shop_id, 'categories', OLD.id, 'delete', @daftari_user,
          JSON_OBJECT('name', OLD.name, 'description', OLD.description, 'monthly_budget', OLD.monthly_budget),
          NULL);
END $$

DROP TRIGGER IF EXISTS shop_members_audit_update $$
CREATE TRIGGER shop_members_audit_update AFTER UPDATE ON shop_members FOR EACH ROW
BEGIN
  IF NOT (OLD.role <=> NEW.role AND OLD.user_id <=> NEW.user_id) THEN
    INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
    VALUES (OLD.shop_id, 'shop_members', OLD.user_id, 'update', @daftari_user,
            JSON_OBJECT('user_id', OLD.user_id, 'role', OLD.role),
            JSON_OBJECT('user_id', NEW.user_id, 'role', NEW.role));
  END IF;
END $$

DROP TRIGGER IF EXISTS shop_members_audit_delete $$
CREATE TRIGGER shop_members_audit_delete AFTER DELETE ON shop_members FOR EACH ROW
BEGIN
  INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
  VALUES (OLD.shop_id, 'shop_members', OLD.user_id, 'delete', @daftari_user,
          JSON_OBJECT('user_id', OLD.user_id, 'role', OLD.role, 'added_at', OLD.added_at), NULL);
END $$

-- The history is kept, not edited: only a demo reset (TRUNCATE, which fires no trigger) clears it.
DROP TRIGGER IF EXISTS audit_log_before_update $$
CREATE TRIGGER audit_log_before_update BEFORE UPDATE ON audit_log FOR EACH ROW
BEGIN
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'The audit log is kept as written: it cannot be changed.';
END $$

DROP TRIGGER IF EXISTS audit_log_before_delete $$
CREATE TRIGGER audit_log_before_delete BEFORE DELETE ON audit_log FOR EACH ROW
BEGIN
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'The audit log is kept as written: it cannot be deleted from.';
END $$

DELIMITER ;
