-- A daily roll-up of the book, kept by triggers like the expenses' (006): per shop and day, the credit given (the
-- totals of the sales of that day that are not voided) and the money collected (the payments of that day that are
-- not voided; a write-off is never collected). Issue 15: the wholesaler's dashboard summed a year's 220,000 sales
-- and 400,000 payments from their covering indexes for its chart (104 ms of its 240 ms) and this month's for its
-- figures; a year of this table is 365 rows.
--
-- Sales and payments are never deleted (002), so inserts and updates keep it: a void takes the row's amount off its
-- day, an edit of a total, an amount or a day moves it. A day whose sales and payments are all voided keeps a row of
-- zeros, read as the day without them. A bulk load may set @daftari_skip_book_days = 1 (its new sales and payments
-- leave the days alone) and rebuild the days of its shops before it commits (simulate/run.py does: clear_ and
-- rebuild_book_days_of_shops), like @daftari_skip_debtors (019).

-- As wide as the other roll-ups (007): no legal sequence of entries overflows a day (one entry is below 10^10 and a
-- table holds fewer than 2^32 rows), so no sale or payment is ever refused for its day's sum.
CREATE TABLE IF NOT EXISTS book_days (
  shop_id       INT UNSIGNED NOT NULL,
  book_day      DATE NOT NULL,
  credit_given  DECIMAL(24,2) NOT NULL DEFAULT 0.00,
  sales         BIGINT NOT NULL DEFAULT 0,
  collected     DECIMAL(24,2) NOT NULL DEFAULT 0.00,
  payments      BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (shop_id, book_day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DELIMITER $$

DROP TRIGGER IF EXISTS debts_book_days_insert $$
CREATE TRIGGER debts_book_days_insert AFTER INSERT ON debts FOR EACH ROW
BEGIN
  IF @daftari_skip_book_days IS NULL AND NEW.voided_at IS NULL THEN
    INSERT INTO book_days (shop_id, book_day, credit_given, sales)
    VALUES (NEW.shop_id, NEW.debt_date, NEW.total, 1)
    ON DUPLICATE KEY UPDATE credit_given = credit_given + NEW.total, sales = sales + 1;
  END IF;
END $$

DROP TRIGGER IF EXISTS debts_book_days_update $$
CREATE TRIGGER debts_book_days_update AFTER UPDATE ON debts FOR EACH ROW
BEGIN
  -- A payment changes only `paid` (and `balance`): nothing to do, tested first.
  IF NOT ((OLD.voided_at IS NULL) <=> (NEW.voided_at IS NULL) AND OLD.total <=> NEW.total
          AND OLD.debt_date <=> NEW.debt_date AND OLD.shop_id <=> NEW.shop_id) THEN
    IF OLD.voided_at IS NULL THEN
      UPDATE book_days SET credit_given = credit_given - OLD.total, sales = sales - 1
       WHERE shop_id = OLD.shop_id AND book_day = OLD.debt_date;
    END IF;
    IF NEW.voided_at IS NULL THEN
      INSERT INTO book_days (shop_id, book_day, credit_given, sales)
      VALUES (NEW.shop_id, NEW.debt_date, NEW.total, 1)
      ON DUPLICATE KEY UPDATE credit_given = credit_given + NEW.total, sales = sales + 1;
    END IF;
  END IF;
END $$

DROP TRIGGER IF EXISTS payments_book_days_insert $$
CREATE TRIGGER payments_book_days_insert AFTER INSERT ON payments FOR EACH ROW
BEGIN
  IF @daftari_skip_book_days IS NULL AND NEW.voided_at IS NULL THEN
    INSERT INTO book_days (shop_id, book_day, collected, payments)
    VALUES (NEW.shop_id, NEW.paid_at, NEW.amount, 1)
    ON DUPLICATE KEY UPDATE collected = collected + NEW.amount, payments = payments + 1;
  END IF;
END $$

DROP TRIGGER IF EXISTS payments_book_days_update $$
CREATE TRIGGER payments_book_days_update AFTER UPDATE ON payments FOR EACH ROW
BEGIN
  IF NOT ((OLD.voided_at IS NULL) <=> (NEW.voided_at IS NULL) AND OLD.amount <=> NEW.amount
          AND OLD.paid_at <=> NEW.paid_at AND OLD.shop_id <=> NEW.shop_id) THEN
    IF OLD.voided_at IS NULL THEN
      UPDATE book_days SET collected = collected - OLD.amount, payments = payments - 1
       WHERE shop_id = OLD.shop_id AND book_day = OLD.paid_at;
    END IF;
    IF NEW.voided_at IS NULL THEN
      INSERT INTO book_days (shop_id, book_day, collected, payments)
      VALUES (NEW.shop_id, NEW.paid_at, NEW.amount, 1)
      ON DUPLICATE KEY UPDATE collected = collected + NEW.amount, payments = payments + 1;
    END IF;
  END IF;
END $$

DELIMITER ;

-- The book recorded before this migration, in one statement that sets each day to its sums (a sale recorded while
-- the migration runs has already added itself through the triggers: it is in the sums too).
INSERT INTO book_days (shop_id, book_day, credit_given, sales, collected, payments)
SELECT shop_id, book_day, SUM(credit_given), SUM(sales), SUM(collected), SUM(payments)
  FROM (SELECT shop_id, debt_date AS book_day, SUM(total) AS credit_given, COUNT(*) AS sales, 0 AS collected,
               0 AS payments
          FROM debts WHERE voided_at IS NULL
         GROUP BY shop_id, debt_date
        UNION ALL
        SELECT shop_id, paid_at, 0, 0, SUM(amount), COUNT(*)
          FROM payments WHERE voided_at IS NULL
         GROUP BY shop_id, paid_at) u
 GROUP BY shop_id, book_day
    ON DUPLICATE KEY UPDATE credit_given = VALUES(credit_given), sales = VALUES(sales),
                            collected = VALUES(collected), payments = VALUES(payments);
