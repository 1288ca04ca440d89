-- The debt book (duka/book.py): customers, credit sales, payments, the owner's corrections.

-- customers ---------------------------------------------------------------------------------

-- name: insert_customer
-- A new customer of a shop.
INSERT INTO customers (shop_id, name, phone, created_by)
VALUES (%(shop_id)s, %(name)s, %(phone)s, %(user_id)s);

-- name: customer_by_phone
-- A customer of this shop with this phone, if any.
SELECT id, name FROM customers WHERE shop_id = %(shop_id)s AND phone = %(phone)s;

-- name: customer_in_shop
-- One customer of this shop, with the open balance.
SELECT c.id AS customer_id, c.name, c.phone, c.created_at, COALESCE(a.balance, 0.00) AS balance
  FROM customers c
  LEFT JOIN active_debtors a ON a.shop_id = c.shop_id AND a.customer_id = c.id
 WHERE c.shop_id = %(shop_id)s AND c.id = %(customer_id)s;

-- name: customer_choices
-- Customers to pick from, by name, with what each owes.
SELECT c.id AS customer_id, c.name, c.phone, COALESCE(a.balance, 0.00) AS balance
  FROM customers c
  LEFT JOIN active_debtors a ON a.shop_id = c.shop_id AND a.customer_id = c.id
 WHERE c.shop_id = %(shop_id)s
 ORDER BY c.name, c.id
 LIMIT %(limit)s;

-- name: debtors_for_shop
-- Customers who owe (or everyone, with include_cleared), biggest balance first, with the age of the oldest open sale.
SELECT c.id AS customer_id, c.name, c.phone,
       COALESCE(a.balance, 0.00) AS balance,
       o.oldest_open,
       DATEDIFF(%(today)s, o.oldest_open) AS days_owed,
       o.next_due
  FROM customers c
  LEFT JOIN active_debtors a ON a.shop_id = c.shop_id AND a.customer_id = c.id
  LEFT JOIN (SELECT customer_id, MIN(debt_date) AS oldest_open, MIN(due_date) AS next_due
               FROM debts
              WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND balance > 0
              GROUP BY customer_id) o ON o.customer_id = c.id
 WHERE c.shop_id = %(shop_id)s
   AND (a.customer_id IS NOT NULL OR %(include_cleared)s)
   AND (%(pattern)s = '' OR c.name LIKE %(pattern)s OR c.phone LIKE %(pattern)s)
 ORDER BY balance DESC, c.name
 LIMIT %(limit)s;

-- sales and payments ------------------------------------------------------------------------

-- name: insert_debt
-- A credit sale.
INSERT INTO debts (shop_id, customer_id, product, quantity, unit_price, total, debt_date, due_date, created_by)
VALUES (%(shop_id)s, %(customer_id)s, %(product)s, %(quantity)s, %(unit_price)s, %(total)s,
        %(debt_date)s, %(due_date)s, %(user_id)s);

-- name: debt_for_update
-- One sale of this shop, locked while a payment or correction is applied.
SELECT id AS debt_id, customer_id, product, total, paid, balance, debt_date, voided_at
  FROM debts WHERE shop_id = %(shop_id)s AND id = %(debt_id)s FOR UPDATE;

-- name: open_debts_of_customer
-- A customer's unpaid sales, oldest first.
SELECT id AS debt_id, product, total, paid, balance, debt_date, due_date
  FROM debts
 WHERE shop_id = %(shop_id)s AND customer_id = %(customer_id)s AND voided_at IS NULL AND balance > 0
 ORDER BY debt_date, id;

-- name: open_debts_of_customer_for_update
-- The same, locked in one order (oldest first) so that payments of one customer queue instead of deadlocking.
SELECT id AS debt_id, balance
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
   SET product = %(product)s, total = %(total)s, debt_date = %(debt_date)s, due_date = %(due_date)s,
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
-- Sales and payments of one customer interleaved, with the running balance (voided entries shown, counting zero).
SELECT entry_date, kind, entry_id, debt_id, description, charge, payment, voided, void_reason,
       SUM(IF(voided, 0, charge - payment))
         OVER (ORDER BY entry_date, created_at, kind_order, entry_id ROWS UNBOUNDED PRECEDING) AS running_balance
  FROM (
        SELECT d.debt_date AS entry_date, 'Sale' AS kind, 0 AS kind_order, d.id AS entry_id, d.id AS debt_id,
               d.product AS description, d.total AS charge, CAST(0 AS DECIMAL(12,2)) AS payment,
               d.voided_at IS NOT NULL AS voided, d.void_reason, d.created_at
          FROM debts d
         WHERE d.shop_id = %(shop_id)s AND d.customer_id = %(customer_id)s
        UNION ALL
        SELECT p.paid_at, 'Payment', 1, p.id, p.debt_id,
               CONCAT(p.method, IF(p.reference IS NULL, '', CONCAT(' ', p.reference)), ' for ', d.product),
               CAST(0 AS DECIMAL(12,2)), p.amount, p.voided_at IS NOT NULL, p.void_reason, p.created_at
          FROM payments p JOIN debts d ON d.shop_id = p.shop_id AND d.id = p.debt_id
         WHERE p.shop_id = %(shop_id)s AND d.customer_id = %(customer_id)s
       ) AS entries
 ORDER BY entry_date, created_at, kind_order, entry_id;
