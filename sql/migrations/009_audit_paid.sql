-- A change of a sale's `paid` made by hand (say `UPDATE debts SET paid = 400` in the mysql client) is logged
-- too; migration 008 skipped every change of `paid` alone, because each payment moves it. Now the payment
-- triggers mark their own update of the sale with @daftari_paying, the audit trigger consumes the mark, and a
-- change of `paid` without it is a correction like any other.

DELIMITER $$

DROP TRIGGER IF EXISTS payments_before_insert $$
CREATE TRIGGER payments_before_insert BEFORE INSERT ON payments FOR EACH ROW
BEGIN
  IF NEW.amount IS NULL OR NEW.amount <= 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A payment must be more than zero.';
  END IF;
  IF NEW.voided_at IS NULL THEN
    SET @daftari_paying = 1;
    UPDATE debts SET paid = paid + NEW.amount WHERE shop_id = NEW.shop_id AND id = NEW.debt_id;
    IF ROW_COUNT() = 0 THEN
      SET @daftari_paying = NULL;
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'No such sale in this shop.';
    END IF;
    SET @daftari_paying = NULL;
  END IF;
END $$

DROP TRIGGER IF EXISTS payments_before_update $$
CREATE TRIGGER payments_before_update BEFORE UPDATE ON payments FOR EACH ROW
BEGIN
  DECLARE old_live DECIMAL(12,2) DEFAULT IF(OLD.voided_at IS NULL, OLD.amount, 0);
  DECLARE new_live DECIMAL(12,2) DEFAULT IF(NEW.voided_at IS NULL, NEW.amount, 0);
  IF NEW.shop_id <> OLD.shop_id THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A payment cannot move to another shop.';
  END IF;
  IF OLD.voided_at IS NOT NULL AND (NEW.voided_at IS NULL OR NEW.amount <> OLD.amount OR NEW.debt_id <> OLD.debt_id) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'This payment was voided; it cannot be changed.';
  END IF;
  IF NEW.amount <= 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A payment must be more than zero.';
  END IF;
  IF NEW.debt_id <> OLD.debt_id THEN
    SET @daftari_paying = 1;
    UPDATE debts SET paid = paid - old_live WHERE shop_id = OLD.shop_id AND id = OLD.debt_id;
    SET @daftari_paying = 1;
    UPDATE debts SET paid = paid + new_live WHERE shop_id = NEW.shop_id AND id = NEW.debt_id;
    IF ROW_COUNT() = 0 THEN
      SET @daftari_paying = NULL;
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'No such sale in this shop.';
    END IF;
  ELSEIF old_live <> new_live THEN
    SET @daftari_paying = 1;
    UPDATE debts SET paid = paid - old_live + new_live WHERE shop_id = NEW.shop_id AND id = NEW.debt_id;
  END IF;
  SET @daftari_paying = NULL;
END $$

DROP TRIGGER IF EXISTS debts_audit_update $$
CREATE TRIGGER debts_audit_update AFTER UPDATE ON debts FOR EACH ROW
BEGIN
  DECLARE by_payment BOOLEAN DEFAULT @daftari_paying IS NOT NULL;
  SET @daftari_paying = NULL;  -- one mark, one update of a sale
  IF NOT (OLD.customer_id <=> NEW.customer_id AND OLD.product <=> NEW.product AND OLD.quantity <=> NEW.quantity
          AND OLD.unit_price <=> NEW.unit_price AND OLD.total <=> NEW.total AND OLD.debt_date <=> NEW.debt_date
          AND OLD.due_date <=> NEW.due_date AND OLD.voided_at <=> NEW.voided_at
          AND OLD.void_reason <=> NEW.void_reason AND (by_payment OR OLD.paid <=> NEW.paid)) THEN
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

DELIMITER ;
