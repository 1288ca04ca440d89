-- The debt book (duka/book.py): credit sales, payments, the ledger, the owner's corrections.

-- sales and payments ------------------------------------------------------------------------

-- name: insert_debt
-- A credit sale.
INSERT INTO debts (shop_id, customer_id, product, quantity, unit_price, total, debt_date, due_date, created_by)
VALUES (%(shop_id)s, %(customer_id)s, %(product)s, %(quantity)s, %(unit_price)s, %(total)s,
        %(debt_date)s, %(due_date)s, %(user_id)s);

-- name: over_limit_allowed
-- Whether this transaction may take customers past their credit limits (collections.allow_over_limit said so).
SELECT @daftari_over_limit_ok <=> 1 AS allowed;

-- name: debt_for_update
-- One sale of this shop, locked while a payment or correction is applied.
SELECT id AS debt_id, customer_id, product, total, paid, balance, debt_date, voided_at
  FROM debts WHERE shop_id = %(shop_id)s AND id = %(debt_id)s FOR UPDATE;

-- name: first_payment_of_debt
-- The date of a sale's first live payment (a sale cannot be re-dated after it).
SELECT MIN(paid_at) AS first_paid
  FROM payments WHERE shop_id = %(shop_id)s AND debt_id = %(debt_id)s AND voided_at IS NULL;

-- name: sale_in_shop
-- One sale of this shop with every field a correction starts from.
SELECT id AS debt_id, customer_id, product, quantity, unit_price, total, paid, balance, debt_date, due_date,
       edited_at, voided_at, void_reason
  FROM debts WHERE shop_id = %(shop_id)s AND id = %(debt_id)s;

-- name: payment_in_shop
-- One payment of this shop with every field a correction starts from.
SELECT id AS payment_id, debt_id, amount, method, reference, paid_at, edited_at, voided_at, void_reason
  FROM payments WHERE shop_id = %(shop_id)s AND id = %(payment_id)s;

-- name: open_debts_of_customer
-- A customer's unpaid sales, oldest first.
SELECT id AS debt_id, product, total, paid, balance, debt_date, due_date
  FROM debts
 WHERE shop_id = %(shop_id)s AND customer_id = %(customer_id)s AND voided_at IS NULL AND balance > 0
 ORDER BY debt_date, id;

-- name: open_debts_of_customer_for_update
-- The same, locked in one order (oldest first) so that payments of one customer queue instead of deadlocking.
SELECT id AS debt_id, balance, debt_date
  FROM debts
 WHERE shop_id = %(shop_id)s AND customer_id = %(customer_id)s AND voided_at IS NULL AND balance > 0
 ORDER BY debt_date, id
   FOR UPDATE;

-- name: insert_payment
-- A payment against one sale; the trigger raises the sale's paid amount or refuses an overpayment.
INSERT INTO payments (shop_id, debt_id, amount, method, reference, paid_at, recorded_by)
VALUES (%(shop_id)s, %(debt_id)s, %(amount)s, %(method)s, %(reference)s, %(paid_at)s, %(user_id)s);

-- name: payment_for_update
-- One payment of this shop, locked for a correction.
SELECT p.id AS payment_id, p.debt_id, p.amount, p.voided_at, d.customer_id
  FROM payments p JOIN debts d ON d.shop_id = p.shop_id AND d.id = p.debt_id
 WHERE p.shop_id = %(shop_id)s AND p.id = %(payment_id)s FOR UPDATE;

-- name: update_debt
-- The owner corrects a sale (the triggers keep active_debtors right).
UPDATE debts
   SET product = %(product)s, quantity = %(quantity)s, unit_price = %(unit_price)s, total = %(total)s,
       debt_date = %(debt_date)s, due_date = %(due_date)s,
       edited_at = NOW(), edited_by = %(user_id)s
 WHERE shop_id = %(shop_id)s AND id = %(debt_id)s AND voided_at IS NULL;

-- name: void_debt
-- The owner voids a sale: it stays in the history, flagged, and stops counting.
UPDATE debts SET voided_at = NOW(), voided_by = %(user_id)s, void_reason = %(reason)s
 WHERE shop_id = %(shop_id)s AND id = %(debt_id)s AND voided_at IS NULL;

-- name: update_payment
-- The owner corrects a payment (the trigger moves the difference onto the sale).
UPDATE payments
   SET amount = %(amount)s, method = %(method)s, reference = %(reference)s, paid_at = %(paid_at)s,
       edited_at = NOW(), edited_by = %(user_id)s
 WHERE shop_id = %(shop_id)s AND id = %(payment_id)s AND voided_at IS NULL;

-- name: void_payment
-- The owner voids a payment: it stays in the history, flagged, and the sale owes it again.
UPDATE payments SET voided_at = NOW(), voided_by = %(user_id)s, void_reason = %(reason)s
 WHERE shop_id = %(shop_id)s AND id = %(payment_id)s AND voided_at IS NULL;

-- name: customer_ledger
-- Sales, payments and write-offs of one customer, newest first, with the balance after each (voided entries and
-- reversed write-offs shown, counting zero), whether each was edited (by the app or by hand: the audit log says),
-- why a voided one was (a write-off: why it was reversed), and why a write-off was made. A write-off is dated by the
-- shops' day it was written; within a day it takes its place by written_at (the shops' clock, offset_seconds from
-- UTC) moved to the server's clock, which wrote the sales' and payments' created_at.
SELECT entry_date, kind, entry_id, debt_id, description, charge, payment, written_off, voided, void_reason, edited,
       reason,
       SUM(IF(voided, 0, charge - payment - written_off))
         OVER (ORDER BY entry_date, created_at, kind_order, entry_id ROWS UNBOUNDED PRECEDING) AS running_balance
  FROM (
        SELECT d.debt_date AS entry_date, 'Sale' AS kind, 0 AS kind_order, d.id AS entry_id, d.id AS debt_id,
               d.product AS description, d.total AS charge, CAST(0 AS DECIMAL(12,2)) AS payment,
               CAST(0 AS DECIMAL(12,2)) AS written_off,
               d.voided_at IS NOT NULL AS voided, d.void_reason,
               EXISTS (SELECT 1 FROM audit_log a WHERE a.shop_id = d.shop_id AND a.table_name = 'debts'
                          AND a.row_id = d.id AND a.action = 'update') AS edited, CAST(NULL AS CHAR) AS reason,
               d.created_at
          FROM debts d
         WHERE d.shop_id = %(shop_id)s AND d.customer_id = %(customer_id)s
        UNION ALL
        SELECT p.paid_at, 'Payment', 1, p.id, p.debt_id,
               CONCAT(p.method, IF(p.reference IS NULL, '', CONCAT(' ', p.reference)), ' for ', d.product),
               CAST(0 AS DECIMAL(12,2)), p.amount, CAST(0 AS DECIMAL(12,2)), p.voided_at IS NOT NULL, p.void_reason,
               EXISTS (SELECT 1 FROM audit_log a WHERE a.shop_id = p.shop_id AND a.table_name = 'payments'
                          AND a.row_id = p.id AND a.action = 'update'), NULL, p.created_at
          FROM payments p JOIN debts d ON d.shop_id = p.shop_id AND d.id = p.debt_id
         WHERE p.shop_id = %(shop_id)s AND d.customer_id = %(customer_id)s
        UNION ALL
        SELECT DATE(w.written_at), 'Write-off', 2, w.id, w.debt_id, d.product,
               CAST(0 AS DECIMAL(12,2)), CAST(0 AS DECIMAL(12,2)), w.amount, w.reversed_at IS NOT NULL,
               w.reverse_reason, FALSE, w.reason,
               w.written_at - INTERVAL %(offset_seconds)s SECOND
                 + INTERVAL TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW()) SECOND
          FROM write_offs w JOIN debts d ON d.shop_id = w.shop_id AND d.id = w.debt_id
         WHERE w.shop_id = %(shop_id)s AND d.customer_id = %(customer_id)s
       ) AS entries
 ORDER BY entry_date DESC, created_at DESC, kind_order DESC, entry_id DESC;
