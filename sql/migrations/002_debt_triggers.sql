-- The debt book's rules, kept by the database so that they hold for any SQL client.
--  * a payment raises its debt's `paid`, under the debt's row lock (BEFORE INSERT: the lock is
--    taken before the payment row's foreign-key check, so parallel payments queue, not deadlock);
--  * a payment larger than what remains is refused and changes nothing;
--  * active_debtors follows every change of a debt's open balance, and loses a customer whose
--    balance reaches zero; a later debt brings them back;
--  * nothing is deleted: corrections are voids, and the history stays whole.
-- The DELIMITER lines are read by db/migrate.py as the mysql client reads them.

DELIMITER $$

DROP TRIGGER IF EXISTS debts_before_insert $$
CREATE TRIGGER debts_before_insert BEFORE INSERT ON debts FOR EACH ROW
BEGIN
  IF NEW.total IS NULL OR NEW.total <= 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'The amount of a sale must be more than zero.';
  END IF;
  IF NEW.paid <> 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A new sale starts unpaid: record money received as a payment.';
  END IF;
END $$

DROP TRIGGER IF EXISTS debts_after_insert $$
CREATE TRIGGER debts_after_insert AFTER INSERT ON debts FOR EACH ROW
BEGIN
  IF NEW.voided_at IS NULL THEN
    INSERT INTO active_debtors (shop_id, customer_id, balance)
    VALUES (NEW.shop_id, NEW.customer_id, NEW.balance)
    ON DUPLICATE KEY UPDATE balance = balance + NEW.balance;
  END IF;
END $$

DROP TRIGGER IF EXISTS debts_before_update $$
CREATE TRIGGER debts_before_update BEFORE UPDATE ON debts FOR EACH ROW
BEGIN
  DECLARE msg VARCHAR(128);
  IF NEW.shop_id <> OLD.shop_id THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A sale cannot move to another shop.';
  END IF;
  IF OLD.voided_at IS NOT NULL AND (NEW.voided_at IS NULL OR NEW.paid <> OLD.paid OR NEW.total <> OLD.total) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'This sale was voided; it cannot be paid or changed.';
  END IF;
  IF NEW.total <= 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'The amount of a sale must be more than zero.';
  END IF;
  IF NEW.paid < 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Paid cannot go below zero.';
  END IF;
  IF NEW.paid > NEW.total THEN
    IF NEW.total <> OLD.total THEN
      SET msg = CONCAT('The total cannot be less than what was already paid (', OLD.paid, ').');
    ELSE
      SET msg = CONCAT('Overpayment refused: the balance of this debt is ', OLD.total - OLD.paid, '.');
    END IF;
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = msg;
  END IF;
  IF NEW.voided_at IS NOT NULL AND OLD.voided_at IS NULL AND NEW.paid > 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'This sale has payments: void them first.';
  END IF;
END $$

DROP TRIGGER IF EXISTS debts_after_update $$
CREATE TRIGGER debts_after_update AFTER UPDATE ON debts FOR EACH ROW
BEGIN
  DECLARE old_open DECIMAL(12,2) DEFAULT IF(OLD.voided_at IS NULL, OLD.balance, 0);
  DECLARE new_open DECIMAL(12,2) DEFAULT IF(NEW.voided_at IS NULL, NEW.balance, 0);
  IF OLD.customer_id <> NEW.customer_id OR old_open <> new_open THEN
    IF old_open <> 0 THEN
      UPDATE active_debtors SET balance = balance - old_open
       WHERE shop_id = OLD.shop_id AND customer_id = OLD.customer_id;
    END IF;
    IF new_open <> 0 THEN
      INSERT INTO active_debtors (shop_id, customer_id, balance)
      VALUES (NEW.shop_id, NEW.customer_id, new_open)
      ON DUPLICATE KEY UPDATE balance = balance + new_open;
    END IF;
    DELETE FROM active_debtors
     WHERE shop_id = OLD.shop_id AND customer_id IN (OLD.customer_id, NEW.customer_id) AND balance <= 0;
  END IF;
END $$

DROP TRIGGER IF EXISTS debts_before_delete $$
CREATE TRIGGER debts_before_delete BEFORE DELETE ON debts FOR EACH ROW
BEGIN
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Sales are never deleted: void the sale instead.';
END $$

DROP TRIGGER IF EXISTS payments_before_insert $$
CREATE TRIGGER payments_before_insert BEFORE INSERT ON payments FOR EACH ROW
BEGIN
  IF NEW.amount IS NULL OR NEW.amount <= 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A payment must be more than zero.';
  END IF;
  IF NEW.voided_at IS NULL THEN
    UPDATE debts SET paid = paid + NEW.amount WHERE shop_id = NEW.shop_id AND id = NEW.debt_id;
    IF ROW_COUNT() = 0 THEN
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'No such sale in this shop.';
    END IF;
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
    UPDATE debts SET paid = paid - old_live WHERE shop_id = OLD.shop_id AND id = OLD.debt_id;
    UPDATE debts SET paid = paid + new_live WHERE shop_id = NEW.shop_id AND id = NEW.debt_id;
    IF ROW_COUNT() = 0 THEN
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'No such sale in this shop.';
    END IF;
  ELSEIF old_live <> new_live THEN
    UPDATE debts SET paid = paid - old_live + new_live WHERE shop_id = NEW.shop_id AND id = NEW.debt_id;
  END IF;
END $$

DROP TRIGGER IF EXISTS payments_before_delete $$
CREATE TRIGGER payments_before_delete BEFORE DELETE ON payments FOR EACH ROW
BEGIN
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Payments are never deleted: void the payment instead.';
END $$

DELIMITER ;
