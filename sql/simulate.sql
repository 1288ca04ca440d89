-- name: demo_user_by_phone
-- A demo account, if the demo data was seeded before.
SELECT id FROM users WHERE phone = %(phone)s;

-- name: count_other_users
-- Accounts that are not demo accounts (a reset refuses to wipe real data).
SELECT COUNT(*) AS n FROM users WHERE phone NOT LIKE %(demo_prefix)s;

-- name: book_invariants
-- Rows that break the book's rules: paid must equal live payments, active_debtors must equal open balances.
SELECT 'paid differs from payments' AS problem, d.shop_id, d.id AS row_id
  FROM debts d
  LEFT JOIN (SELECT debt_id, SUM(amount) AS s FROM payments WHERE voided_at IS NULL AND shop_id = %(shop_id)s
              GROUP BY debt_id) p ON p.debt_id = d.id
 WHERE d.shop_id = %(shop_id)s AND d.paid <> COALESCE(p.s, 0)
UNION ALL
SELECT 'active_debtors differs from open balances', o.shop_id, o.customer_id
  FROM (SELECT shop_id, customer_id, SUM(balance) AS owed FROM debts
         WHERE shop_id = %(shop_id)s AND voided_at IS NULL GROUP BY shop_id, customer_id HAVING owed > 0) o
  LEFT JOIN active_debtors a ON a.shop_id = o.shop_id AND a.customer_id = o.customer_id
 WHERE a.balance IS NULL OR a.balance <> o.owed
UNION ALL
SELECT 'active debtor owes nothing', a.shop_id, a.customer_id
  FROM active_debtors a
 WHERE a.shop_id = %(shop_id)s
   AND NOT EXISTS (SELECT 1 FROM debts d
                    WHERE d.shop_id = a.shop_id AND d.customer_id = a.customer_id
                      AND d.voided_at IS NULL AND d.balance > 0);

-- name: shop_ids
-- Every shop, for whole-database checks.
SELECT id AS shop_id FROM shops ORDER BY id;

-- name: foreign_key_checks_off
-- Only for wiping demo data: TRUNCATE of referenced tables needs it.
SET FOREIGN_KEY_CHECKS = 0;

-- name: foreign_key_checks_on
-- Back to normal after a wipe.
SET FOREIGN_KEY_CHECKS = 1;

-- name: truncate_payments
-- Wipe (TRUNCATE fires no DELETE trigger: the demo reset is the one place history goes).
TRUNCATE TABLE payments;

-- name: truncate_debts
-- Wipe.
TRUNCATE TABLE debts;

-- name: truncate_active_debtors
-- Wipe.
TRUNCATE TABLE active_debtors;

-- name: truncate_customers
-- Wipe.
TRUNCATE TABLE customers;

-- name: truncate_shop_members
-- Wipe.
TRUNCATE TABLE shop_members;

-- name: truncate_shops
-- Wipe.
TRUNCATE TABLE shops;

-- name: truncate_users
-- Wipe.
TRUNCATE TABLE users;

-- name: truncate_expenses
-- Wipe.
TRUNCATE TABLE expenses;

-- name: truncate_categories
-- Wipe.
TRUNCATE TABLE categories;
