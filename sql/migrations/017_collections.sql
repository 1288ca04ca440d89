-- Collections (issue 14): credit periods and limits, write-offs, reminders. The database keeps these rules for any
-- SQL client, as 002 does for sales and payments:
--  * shops: the default credit period (a sale without a due date is due credit_days after it), how many days ahead
--    a sale counts as due soon (reminder_days, also how long a debt may stand before a reminder) and how often one
--    customer may be reminded (remind_every_days);
--  * customers.credit_limit: a new sale, or a correction raising a sale's total, that takes the customer's open
--    balance past it is refused, unless the session says @daftari_over_limit_ok = 1 (the app sets it only for an
--    owner who confirmed, inside that transaction, and clears it after);
--  * write_offs: a debt the owner gives up on. debts.written_off is kept by its triggers under the sale's row lock
--    (as paid is by the payments'), and balance = total - paid - written_off, so the customer leaves active_debtors;
--    paid stays payments only, so nothing written off is ever counted as collected. A write-off is never changed
--    nor deleted, only reversed once (the sale owes again); a voided sale cannot be written off, and a sale with a
--    live write-off cannot be voided;
--  * reminders: each reminder sent (who, when, how, what it said, the balance then), kept as sent;
--  * reminder_templates: the shop's own reminder message per language.
-- written_at, reversed_at and sent_at are the shops' local time when the app writes them (duka/clock.py), as
-- paid_at is the shops' day; another client gets the server's clock from the default.

ALTER TABLE shops
  ADD COLUMN credit_days SMALLINT UNSIGNED NOT NULL DEFAULT 30,
  ADD COLUMN reminder_days SMALLINT UNSIGNED NOT NULL DEFAULT 7,
  ADD COLUMN remind_every_days SMALLINT UNSIGNED NOT NULL DEFAULT 7,
  ADD CONSTRAINT chk_shops_credit_days CHECK (credit_days <= 365),
  ADD CONSTRAINT chk_shops_reminder_days CHECK (reminder_days <= 90),
  ADD CONSTRAINT chk_shops_remind_every_days CHECK (remind_every_days BETWEEN 1 AND 90);

ALTER TABLE customers
  ADD COLUMN credit_limit DECIMAL(12,2) NULL AFTER account_no,
  ADD CONSTRAINT chk_customers_credit_limit CHECK (credit_limit IS NULL OR credit_limit >= 0);

ALTER TABLE debts ADD COLUMN written_off DECIMAL(12,2) NOT NULL DEFAULT 0.00 AFTER paid;
ALTER TABLE debts DROP CONSTRAINT chk_debts_paid;
ALTER TABLE debts MODIFY balance DECIMAL(12,2) AS (total - paid - written_off) STORED;
ALTER TABLE debts
  ADD CONSTRAINT chk_debts_paid CHECK (paid >= 0 AND written_off >= 0 AND paid + written_off <= total);

CREATE TABLE IF NOT EXISTS write_offs (
  id              INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  shop_id         INT UNSIGNED NOT NULL,
  debt_id         INT UNSIGNED NOT NULL,
  amount          DECIMAL(12,2) NOT NULL,
  reason          VARCHAR(255) NOT NULL,
  written_at      DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  written_by      INT UNSIGNED NULL,
  reversed_at     DATETIME NULL,
  reversed_by     INT UNSIGNED NULL,
  reverse_reason  VARCHAR(255) NULL,
  KEY ix_write_offs_shop_debt (shop_id, debt_id),
  KEY ix_write_offs_shop_time (shop_id, written_at),
  CONSTRAINT fk_write_offs_debt FOREIGN KEY (shop_id, debt_id) REFERENCES debts (shop_id, id),
  CONSTRAINT chk_write_offs_amount CHECK (amount > 0),
  CONSTRAINT chk_write_offs_reason CHECK (CHAR_LENGTH(TRIM(reason)) > 0),
  CONSTRAINT chk_write_offs_reversal CHECK (reversed_at IS NULL OR CHAR_LENGTH(TRIM(reverse_reason)) > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- balance is a customer's whole balance when the reminder went: a sum, as wide as active_debtors.balance (008).
CREATE TABLE IF NOT EXISTS reminders (
  id           INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  shop_id      INT UNSIGNED NOT NULL,
  customer_id  INT UNSIGNED NOT NULL,
  sent_at      DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  sent_by      INT UNSIGNED NULL,
  channel      ENUM('whatsapp','sms') NOT NULL,
  language     CHAR(2) NOT NULL DEFAULT 'en',
  text         VARCHAR(1000) NOT NULL,
  balance      DECIMAL(24,2) NOT NULL,
  KEY ix_reminders_shop_customer (shop_id, customer_id, sent_at),
  CONSTRAINT fk_reminders_customer FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id),
  CONSTRAINT chk_reminders_language CHECK (language IN ('en', 'sw')),
  CONSTRAINT chk_reminders_text CHECK (CHAR_LENGTH(TRIM(text)) > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS reminder_templates (
  shop_id   INT UNSIGNED NOT NULL,
  language  CHAR(2) NOT NULL,
  body      VARCHAR(1000) NOT NULL,
  PRIMARY KEY (shop_id, language),
  CONSTRAINT fk_reminder_templates_shop FOREIGN KEY (shop_id) REFERENCES shops (id),
  CONSTRAINT chk_reminder_templates_language CHECK (language IN ('en', 'sw')),
  CONSTRAINT chk_reminder_templates_body CHECK (CHAR_LENGTH(TRIM(body)) > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DELIMITER $$

-- The credit limit, for a sale's insert and for a correction that raises its total: `more` is what the customer's
-- open balance grows by. The customer's row is locked (a second sale to them waits) and the balance read as
-- committed (a locking read, not the transaction's snapshot), so two sales at once cannot both slip under it.
DROP PROCEDURE IF EXISTS refuse_over_credit_limit $$
CREATE PROCEDURE refuse_over_credit_limit(IN p_shop INT UNSIGNED, IN p_customer INT UNSIGNED, IN p_more DECIMAL(12,2))
BEGIN
  DECLARE cap DECIMAL(12,2) DEFAULT NULL;
  DECLARE owed DECIMAL(24,2) DEFAULT 0;
  DECLARE msg VARCHAR(160);
  IF p_more > 0 AND NOT (@daftari_over_limit_ok <=> 1) THEN
    SET cap = (SELECT credit_limit FROM customers WHERE shop_id = p_shop AND id = p_customer);
    IF cap IS NOT NULL THEN
      SET cap = (SELECT credit_limit FROM customers WHERE shop_id = p_shop AND id = p_customer FOR UPDATE);
      SET owed = COALESCE((SELECT balance FROM active_debtors
                            WHERE shop_id = p_shop AND customer_id = p_customer FOR UPDATE), 0);
      IF cap IS NOT NULL AND owed + p_more > cap THEN
        SET msg = CONCAT('Over the credit limit: the balance would be ', owed + p_more,
                         ', past the limit of ', cap, '.');
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = msg;
      END IF;
    END IF;
  END IF;
END $$

DROP TRIGGER IF EXISTS debts_before_insert $$
CREATE TRIGGER debts_before_insert BEFORE INSERT ON debts FOR EACH ROW
BEGIN
  IF NEW.total IS NULL OR NEW.total <= 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'The amount of a sale must be more than zero.';
  END IF;
  IF NEW.paid <> 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A new sale starts unpaid: record money received as a payment.';
  END IF;
  IF NEW.written_off <> 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A new sale starts with nothing written off.';
  END IF;
  IF NEW.voided_at IS NULL THEN
    CALL refuse_over_credit_limit(NEW.shop_id, NEW.customer_id, NEW.total);
  END IF;
END $$

-- written_off moves only by a write-off's own triggers, which mark their update of the sale with
-- @daftari_writing_off (consumed here: one mark, one update), as the payments' mark theirs for the audit (009).
DROP TRIGGER IF EXISTS debts_before_update $$
CREATE TRIGGER debts_before_update BEFORE UPDATE ON debts FOR EACH ROW
BEGIN
  DECLARE writing_off BOOLEAN DEFAULT @daftari_writing_off IS NOT NULL;
  DECLARE msg VARCHAR(160);
  SET @daftari_writing_off = NULL;
  IF NEW.shop_id <> OLD.shop_id THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A sale cannot move to another shop.';
  END IF;
  IF NEW.written_off <> OLD.written_off AND NOT writing_off THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'What is written off changes only by a write-off or its reversal.';
  END IF;
  IF OLD.voided_at IS NOT NULL AND writing_off THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A voided sale cannot be written off.';
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
  IF NEW.paid + NEW.written_off > NEW.total THEN
    IF NEW.total <> OLD.total AND OLD.written_off > 0 THEN
      SET msg = CONCAT('The total cannot be less than what was already paid and written off (',
                       OLD.paid + OLD.written_off, ').');
    ELSEIF NEW.total <> OLD.total THEN
      SET msg = CONCAT('The total cannot be less than what was already paid (', OLD.paid, ').');
    ELSEIF writing_off THEN
      SET msg = CONCAT('Write-off refused: the balance of this sale is ', OLD.balance, '.');
    ELSE
      SET msg = CONCAT('Overpayment refused: the balance of this debt is ', OLD.balance, '.');
    END IF;
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = msg;
  END IF;
  IF NEW.voided_at IS NOT NULL AND OLD.voided_at IS NULL AND NEW.paid > 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'This sale has payments: void them first.';
  END IF;
  IF NEW.voided_at IS NOT NULL AND OLD.voided_at IS NULL AND NEW.written_off > 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'This sale has a write-off: reverse it first.';
  END IF;
  IF NEW.total > OLD.total AND NEW.voided_at IS NULL AND NEW.customer_id = OLD.customer_id THEN
    CALL refuse_over_credit_limit(NEW.shop_id, NEW.customer_id, NEW.total - OLD.total);
  END IF;
END $$

-- A write-off raises its sale's written_off under the sale's row lock, taken before the write-off's foreign-key
-- check (as payments_before_insert does); more than the open balance, or a voided sale, is refused there.
DROP TRIGGER IF EXISTS write_offs_before_insert $$
CREATE TRIGGER write_offs_before_insert BEFORE INSERT ON write_offs FOR EACH ROW
BEGIN
  IF NEW.amount IS NULL OR NEW.amount <= 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A write-off must be more than zero.';
  END IF;
  IF NEW.reason IS NULL OR CHAR_LENGTH(TRIM(NEW.reason)) = 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A write-off needs a reason.';
  END IF;
  IF NEW.reversed_at IS NOT NULL OR NEW.reversed_by IS NOT NULL OR NEW.reverse_reason IS NOT NULL THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A new write-off cannot be reversed already: reverse it afterwards.';
  END IF;
  SET @daftari_writing_off = 1;
  UPDATE debts SET written_off = written_off + NEW.amount WHERE shop_id = NEW.shop_id AND id = NEW.debt_id;
  IF ROW_COUNT() = 0 THEN
    SET @daftari_writing_off = NULL;
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'No such sale in this shop.';
  END IF;
  SET @daftari_writing_off = NULL;
END $$

-- Of a write-off only its reversal can change, once, with a reason: the sale owes that amount again.
DROP TRIGGER IF EXISTS write_offs_before_update $$
CREATE TRIGGER write_offs_before_update BEFORE UPDATE ON write_offs FOR EACH ROW
BEGIN
  IF NOT (NEW.id <=> OLD.id AND NEW.shop_id <=> OLD.shop_id AND NEW.debt_id <=> OLD.debt_id
          AND NEW.amount <=> OLD.amount AND NEW.reason <=> OLD.reason AND NEW.written_at <=> OLD.written_at
          AND NEW.written_by <=> OLD.written_by) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A write-off cannot be changed: reverse it, and write off again if need be.';
  END IF;
  IF OLD.reversed_at IS NOT NULL THEN
    IF NOT (NEW.reversed_at <=> OLD.reversed_at AND NEW.reversed_by <=> OLD.reversed_by
            AND NEW.reverse_reason <=> OLD.reverse_reason) THEN
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'This write-off was reversed; it cannot be changed.';
    END IF;
  ELSEIF NEW.reversed_at IS NULL THEN
    IF NOT (NEW.reversed_by <=> OLD.reversed_by AND NEW.reverse_reason <=> OLD.reverse_reason) THEN
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A write-off cannot be changed: reverse it, and write off again if need be.';
    END IF;
  ELSE
    IF NEW.reverse_reason IS NULL OR CHAR_LENGTH(TRIM(NEW.reverse_reason)) = 0 THEN
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'A reversal needs a reason.';
    END IF;
    SET @daftari_writing_off = 1;
    UPDATE debts SET written_off = written_off - OLD.amount WHERE shop_id = OLD.shop_id AND id = OLD.debt_id;
    SET @daftari_writing_off = NULL;
  END IF;
END $$

DROP TRIGGER IF EXISTS write_offs_before_delete $$
CREATE TRIGGER write_offs_before_delete BEFORE DELETE ON write_offs FOR EACH ROW
BEGIN
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Write-offs are never deleted: reverse the write-off instead.';
END $$

DROP TRIGGER IF EXISTS write_offs_audit_update $$
CREATE TRIGGER write_offs_audit_update AFTER UPDATE ON write_offs FOR EACH ROW
BEGIN
  INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
  VALUES (OLD.shop_id, 'write_offs', OLD.id,
          IF(OLD.reversed_at IS NULL AND NEW.reversed_at IS NOT NULL, 'void', 'update'), @daftari_user,
          JSON_OBJECT('debt_id', OLD.debt_id, 'amount', OLD.amount, 'reason', OLD.reason,
                      'written_at', OLD.written_at, 'written_by', OLD.written_by, 'reversed_at', OLD.reversed_at,
                      'reversed_by', OLD.reversed_by, 'reverse_reason', OLD.reverse_reason),
          JSON_OBJECT('debt_id', NEW.debt_id, 'amount', NEW.amount, 'reason', NEW.reason,
                      'written_at', NEW.written_at, 'written_by', NEW.written_by, 'reversed_at', NEW.reversed_at,
                      'reversed_by', NEW.reversed_by, 'reverse_reason', NEW.reverse_reason));
END $$

DROP TRIGGER IF EXISTS reminders_before_update $$
CREATE TRIGGER reminders_before_update BEFORE UPDATE ON reminders FOR EACH ROW
BEGIN
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Reminders are kept as sent: they cannot be changed.';
END $$

DROP TRIGGER IF EXISTS reminders_before_delete $$
CREATE TRIGGER reminders_before_delete BEFORE DELETE ON reminders FOR EACH ROW
BEGIN
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Reminders are kept as sent: they cannot be deleted.';
END $$

-- The credit limit is the owner's decision: its changes are kept with the customer's other corrections.
DROP TRIGGER IF EXISTS customers_audit_update $$
CREATE TRIGGER customers_audit_update AFTER UPDATE ON customers FOR EACH ROW
BEGIN
  IF NOT (OLD.name <=> NEW.name AND OLD.phone <=> NEW.phone AND OLD.note <=> NEW.note
          AND OLD.archived_at <=> NEW.archived_at AND OLD.merged_into <=> NEW.merged_into
          AND OLD.credit_limit <=> NEW.credit_limit) THEN
    INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
    VALUES (OLD.shop_id, 'customers', OLD.id, 'update', @daftari_user,
            JSON_OBJECT('name', OLD.name, 'phone', OLD.phone, 'note', OLD.note,
                        'archived_at', OLD.archived_at, 'merged_into', OLD.merged_into,
                        'credit_limit', OLD.credit_limit),
            JSON_OBJECT('name', NEW.name, 'phone', NEW.phone, 'note', NEW.note,
                        'archived_at', NEW.archived_at, 'merged_into', NEW.merged_into,
                        'credit_limit', NEW.credit_limit));
  END IF;
END $$

DROP TRIGGER IF EXISTS reminder_templates_audit_update $$
CREATE TRIGGER reminder_templates_audit_update AFTER UPDATE ON reminder_templates FOR EACH ROW
BEGIN
  IF NOT (OLD.body <=> NEW.body AND OLD.language <=> NEW.language) THEN
    INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
    VALUES (OLD.shop_id, 'reminder_templates', NULL, 'update', @daftari_user,
            JSON_OBJECT('language', OLD.language, 'body', OLD.body),
            JSON_OBJECT('language', NEW.language, 'body', NEW.body));
  END IF;
END $$

DROP TRIGGER IF EXISTS reminder_templates_audit_delete $$
CREATE TRIGGER reminder_templates_audit_delete AFTER DELETE ON reminder_templates FOR EACH ROW
BEGIN
  INSERT INTO audit_log (shop_id, table_name, row_id, action, changed_by, old_values, new_values)
  VALUES (OLD.shop_id, 'reminder_templates', NULL, 'delete', @daftari_user,
          JSON_OBJECT('language', OLD.language, 'body', OLD.body), NULL);
END $$

-- Every write to the new tables moves the shop's version (015), so cached reads of any process see it.
DROP TRIGGER IF EXISTS write_offs_version_insert $$
CREATE TRIGGER write_offs_version_insert AFTER INSERT ON write_offs FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS write_offs_version_update $$
CREATE TRIGGER write_offs_version_update AFTER UPDATE ON write_offs FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS write_offs_version_delete $$
CREATE TRIGGER write_offs_version_delete AFTER DELETE ON write_offs FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DROP TRIGGER IF EXISTS reminders_version_insert $$
CREATE TRIGGER reminders_version_insert AFTER INSERT ON reminders FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS reminders_version_update $$
CREATE TRIGGER reminders_version_update AFTER UPDATE ON reminders FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS reminders_version_delete $$
CREATE TRIGGER reminders_version_delete AFTER DELETE ON reminders FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DROP TRIGGER IF EXISTS reminder_templates_version_insert $$
CREATE TRIGGER reminder_templates_version_insert AFTER INSERT ON reminder_templates FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
END $$

DROP TRIGGER IF EXISTS reminder_templates_version_update $$
CREATE TRIGGER reminder_templates_version_update AFTER UPDATE ON reminder_templates FOR EACH ROW
BEGIN
  CALL bump_shop_version(NEW.shop_id);
  IF NOT (OLD.shop_id <=> NEW.shop_id) THEN
    CALL bump_shop_version(OLD.shop_id);
  END IF;
END $$

DROP TRIGGER IF EXISTS reminder_templates_version_delete $$
CREATE TRIGGER reminder_templates_version_delete AFTER DELETE ON reminder_templates FOR EACH ROW
BEGIN
  CALL bump_shop_version(OLD.shop_id);
END $$

DELIMITER ;
