-- A shop's customers (duka/customers.py).

-- name: insert_customer
-- A new customer of a shop, with the account number they pay to by M-Pesa.
INSERT INTO customers (shop_id, name, phone, account_no, created_by)
VALUES (%(shop_id)s, %(name)s, %(phone)s, %(account_no)s, %(user_id)s);

-- name: lock_shop_for_account_numbers
-- The shop's row, locked until the transaction ends: one account number is chosen at a time in a shop.
SELECT id FROM shops WHERE id = %(shop_id)s FOR UPDATE;

-- name: next_account_no
-- The shop's next account number (1001 for the first), read as committed (a locking read, not the snapshot).
SELECT COALESCE(MAX(account_no), 1000) + 1 AS account_no
  FROM customers WHERE shop_id = %(shop_id)s LOCK IN SHARE MODE;

-- name: number_unnumbered_customers
-- Account numbers for the shop's customers that have none (loaded in bulk), after the highest, by id.
UPDATE customers c
  JOIN (SELECT u.id, top.n + ROW_NUMBER() OVER (ORDER BY u.id) AS account_no
          FROM customers u
          JOIN (SELECT COALESCE(MAX(account_no), 1000) AS n FROM customers WHERE shop_id = %(shop_id)s) top
         WHERE u.shop_id = %(shop_id)s AND u.account_no IS NULL) numbered ON numbered.id = c.id
   SET c.account_no = numbered.account_no
 WHERE c.shop_id = %(shop_id)s;

-- name: customer_by_phone
-- A customer of this shop with this phone, if any (archived ones hold their phone too).
SELECT id, name, archived_at FROM customers WHERE shop_id = %(shop_id)s AND phone = %(phone)s;

-- name: customers_named
-- Customers of this shop, not archived, with this name (the collation ignores case and accents).
SELECT c.id AS customer_id, c.name, c.phone, COALESCE(a.balance, 0.00) AS balance
  FROM customers c
  LEFT JOIN active_debtors a ON a.shop_id = c.shop_id AND a.customer_id = c.id
 WHERE c.shop_id = %(shop_id)s AND c.name = %(name)s AND c.archived_at IS NULL
 ORDER BY balance DESC, c.id;

-- name: customer_in_shop
-- One customer of this shop, with the open balance.
SELECT c.id AS customer_id, c.name, c.phone, c.account_no, c.created_at, c.archived_at, c.merged_into,
       COALESCE(a.balance, 0.00) AS balance
  FROM customers c
  LEFT JOIN active_debtors a ON a.shop_id = c.shop_id AND a.customer_id = c.id
 WHERE c.shop_id = %(shop_id)s AND c.id = %(customer_id)s;

-- name: customer_for_update
-- One customer of this shop, locked while it is edited, archived, merged or sold to.
SELECT id, name, phone, archived_at, merged_into
  FROM customers WHERE shop_id = %(shop_id)s AND id = %(customer_id)s FOR UPDATE;

-- name: customer_choices
-- Customers to pick from, by name, with what each owes (archived ones only when asked).
SELECT c.id AS customer_id, c.name, c.phone, COALESCE(a.balance, 0.00) AS balance,
       c.archived_at IS NOT NULL AS archived
  FROM customers c
  LEFT JOIN active_debtors a ON a.shop_id = c.shop_id AND a.customer_id = c.id
 WHERE c.shop_id = %(shop_id)s AND (c.archived_at IS NULL OR %(include_archived)s)
 ORDER BY c.name, c.id
 LIMIT %(limit)s;

-- name: debtors_for_shop
-- Customers who owe (or everyone, with include_cleared), biggest balance first, with the age of the oldest open sale
-- and the earliest effective due date of an open sale (its due date, or the shop's credit period after it), 'overdue'
-- when that date has passed and 'due_soon' when it comes within the shop's reminder days, as duka/collections says.
SELECT c.id AS customer_id, c.name, c.phone,
       COALESCE(a.balance, 0.00) AS balance,
       o.oldest_open,
       DATEDIFF(%(today)s, o.oldest_open) AS days_owed,
       o.next_due,
       CASE WHEN o.next_due < %(today)s THEN 'overdue'
            WHEN o.next_due <= CAST(%(today)s AS DATE) + INTERVAL s.reminder_days DAY THEN 'due_soon'
       END AS due_status
  FROM customers c
  JOIN shops s ON s.id = %(shop_id)s
  LEFT JOIN active_debtors a ON a.shop_id = c.shop_id AND a.customer_id = c.id
  LEFT JOIN (SELECT d.customer_id, MIN(d.debt_date) AS oldest_open,
                    MIN(COALESCE(d.due_date, d.debt_date + INTERVAL ds.credit_days DAY)) AS next_due
               FROM debts d JOIN shops ds ON ds.id = %(shop_id)s
              WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.balance > 0
              GROUP BY d.customer_id) o ON o.customer_id = c.id
 WHERE c.shop_id = %(shop_id)s
   AND (a.customer_id IS NOT NULL OR (%(include_cleared)s AND c.merged_into IS NULL))
   AND (%(pattern)s = '' OR c.name LIKE %(pattern)s OR c.phone LIKE %(pattern)s)
 ORDER BY balance DESC, c.name
 LIMIT %(limit)s;

-- name: update_customer
-- A customer's name and phone corrected (the audit trigger keeps the old ones).
UPDATE customers SET name = %(name)s, phone = %(phone)s
 WHERE shop_id = %(shop_id)s AND id = %(customer_id)s;

-- name: archive_customer
-- Out of the pickers; the sales, payments and audit trail stay.
UPDATE customers SET archived_at = NOW(), archived_by = %(user_id)s
 WHERE shop_id = %(shop_id)s AND id = %(customer_id)s AND archived_at IS NULL;

-- name: restore_customer
-- Back in the pickers.
UPDATE customers SET archived_at = NULL, archived_by = NULL
 WHERE shop_id = %(shop_id)s AND id = %(customer_id)s AND merged_into IS NULL;

-- name: move_debts
-- A merge: every sale of one customer (voided ones too) moves to another; payments follow their sales.
UPDATE debts SET customer_id = %(to_id)s
 WHERE shop_id = %(shop_id)s AND customer_id = %(from_id)s;

-- name: mark_merged
-- The merged customer is archived, pointing at the one who now holds their history; the phone moves with them.
UPDATE customers SET archived_at = NOW(), archived_by = %(user_id)s, merged_into = %(into)s, phone = NULL
 WHERE shop_id = %(shop_id)s AND id = %(customer_id)s;
