-- The simulator (simulate/): demo accounts and shops, the demo reset, the invariant check, table counts.

-- name: demo_user_by_phone
-- A demo account, if the demo data was seeded before.
SELECT id FROM users WHERE phone = %(phone)s;

-- name: count_real_users
-- Accounts that are not demo accounts (a reset refuses to wipe real data).
SELECT COUNT(*) AS n FROM users WHERE demo = 0;

-- name: book_breaches
-- Rows of a range of shops that break the book's rules: paid must equal live payments, written_off live
-- write-offs, active_debtors open balances. Set-based (one pass per rule, joined on keys, whatever the number
-- of shops). The indexes are named so that a plan never depends on statistics a bulk load has just outdated.
SELECT 'paid differs from payments' AS problem, d.shop_id, d.id AS row_id
  FROM debts d FORCE INDEX (uq_debts_shop_id)
  LEFT JOIN payments p FORCE INDEX (ix_payments_shop_debt)
         ON p.shop_id = d.shop_id AND p.debt_id = d.id AND p.voided_at IS NULL
 WHERE d.shop_id BETWEEN %(first_shop)s AND %(last_shop)s
 GROUP BY d.shop_id, d.id
HAVING MAX(d.paid) <> COALESCE(SUM(p.amount), 0)
UNION ALL
SELECT 'written_off differs from write-offs', d.shop_id, d.id
  FROM debts d FORCE INDEX (uq_debts_shop_id)
  LEFT JOIN write_offs w FORCE INDEX (ix_write_offs_shop_debt)
         ON w.shop_id = d.shop_id AND w.debt_id = d.id AND w.reversed_at IS NULL
 WHERE d.shop_id BETWEEN %(first_shop)s AND %(last_shop)s
 GROUP BY d.shop_id, d.id
HAVING MAX(d.written_off) <> COALESCE(SUM(w.amount), 0)
UNION ALL
SELECT 'active_debtors differs from open balances', o.shop_id, o.customer_id
  FROM (SELECT shop_id, customer_id, SUM(balance) AS owed FROM debts FORCE INDEX (ix_debts_shop_customer)
         WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s AND voided_at IS NULL
         GROUP BY shop_id, customer_id HAVING owed > 0) o
  LEFT JOIN active_debtors a ON a.shop_id = o.shop_id AND a.customer_id = o.customer_id
 WHERE a.balance IS NULL OR a.balance <> o.owed
UNION ALL
SELECT 'active debtor owes nothing', a.shop_id, a.customer_id
  FROM active_debtors a
 WHERE a.shop_id BETWEEN %(first_shop)s AND %(last_shop)s
   AND NOT EXISTS (SELECT 1 FROM debts d FORCE INDEX (ix_debts_shop_customer)
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

-- name: truncate_write_offs
-- Wipe.
TRUNCATE TABLE write_offs;

-- name: truncate_reminders
-- Wipe.
TRUNCATE TABLE reminders;

-- name: truncate_reminder_templates
-- Wipe.
TRUNCATE TABLE reminder_templates;

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

-- name: truncate_sessions
-- Wipe (every demo sign-in ends).
TRUNCATE TABLE sessions;

-- name: truncate_login_guards
-- Wipe.
TRUNCATE TABLE login_guards;

-- name: truncate_one_time_codes
-- Wipe.
TRUNCATE TABLE one_time_codes;

-- name: truncate_invitations
-- Wipe.
TRUNCATE TABLE invitations;

-- name: truncate_shop_versions
-- Wipe (a shop made again starts from a later version: see migration 015).
TRUNCATE TABLE shop_versions;

-- name: truncate_idempotency_keys
-- Wipe.
TRUNCATE TABLE idempotency_keys;

-- name: truncate_api_tokens
-- Wipe.
TRUNCATE TABLE api_tokens;

-- name: truncate_mpesa_receipts
-- Wipe.
TRUNCATE TABLE mpesa_receipts;

-- name: truncate_mpesa_rules
-- Wipe.
TRUNCATE TABLE mpesa_rules;

-- name: truncate_mpesa_c2b
-- Wipe.
TRUNCATE TABLE mpesa_c2b;

-- name: truncate_mpesa_settings
-- Wipe.
TRUNCATE TABLE mpesa_settings;

-- name: truncate_audit_log
-- Wipe (the demo reset is the one place history goes: TRUNCATE fires no trigger).
TRUNCATE TABLE audit_log;

-- name: truncate_expenses
-- Wipe.
TRUNCATE TABLE expenses;

-- name: truncate_categories
-- Wipe.
TRUNCATE TABLE categories;

-- name: customer_ids_of_shops
-- The ids the server gave a load's customers, per shop in the order they were loaded (the shops are new, made in
-- the same transaction, so nobody else can have added to them, and ids rise in load order, gaps or not).
SELECT shop_id, id FROM customers WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s ORDER BY shop_id, id;

-- name: debt_ids_of_shops
-- The ids the server gave a load's credit sales, per shop in load order (as customer_ids_of_shops).
SELECT shop_id, id FROM debts WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s ORDER BY shop_id, id;

-- name: customer_id_span_of_shops
-- The first and last id a load's customers got, and how many there are: consecutive ids need not be read one by one.
SELECT MIN(id) AS first, MAX(id) AS last, COUNT(*) AS n FROM customers
 WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s;

-- name: debt_id_span_of_shops
-- The first and last id a load's credit sales got, and how many there are (as customer_id_span_of_shops).
SELECT MIN(id) AS first, MAX(id) AS last, COUNT(*) AS n FROM debts
 WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s;

-- name: insert_demo_user
-- A demo user, marked as such (the hash is made once per run with a salt from the seed).
INSERT INTO users (first_name, last_name, phone, password_hash, demo)
VALUES (%(first_name)s, %(last_name)s, %(phone)s, %(password_hash)s, 1);

-- name: insert_demo_shop
-- A demo shop (the trigger on shops gives it the default categories).
INSERT INTO shops (name, currency) VALUES (%(name)s, %(currency)s);

-- name: insert_demo_member
-- A demo user's role in a demo shop.
INSERT INTO shop_members (shop_id, user_id, role) VALUES (%(shop_id)s, %(user_id)s, %(role)s);

-- name: insert_extra_category
-- A category the demo shops use beyond the defaults.
INSERT IGNORE INTO categories (shop_id, name, description) VALUES (%(shop_id)s, %(name)s, %(description)s);

-- name: category_ids_of_shop
-- Name to id, for generated expenses.
SELECT id AS category_id, name FROM categories WHERE shop_id = %(shop_id)s;

-- name: table_checksums
-- A checksum of every row of every table (each row's columns, order-free), to show that a seed repeats exactly.
SELECT 'users' AS `table`, COUNT(*) AS row_count,
       CONCAT(BIT_XOR(CRC32(CONCAT_WS('|', QUOTE(id), QUOTE(first_name), QUOTE(last_name), QUOTE(phone), QUOTE(password_hash), QUOTE(created_at), QUOTE(demo)))), '-',
              COALESCE(SUM(CRC32(CONCAT_WS('|', QUOTE(id), QUOTE(first_name), QUOTE(last_name), QUOTE(phone), QUOTE(password_hash), QUOTE(created_at), QUOTE(demo)))), 0)) AS checksum
  FROM users
UNION ALL
SELECT 'shops' AS `table`, COUNT(*) AS row_count,
       CONCAT(BIT_XOR(CRC32(CONCAT_WS('|', QUOTE(id), QUOTE(name), QUOTE(currency), QUOTE(created_at)))), '-',
              COALESCE(SUM(CRC32(CONCAT_WS('|', QUOTE(id), QUOTE(name), QUOTE(currency), QUOTE(created_at)))), 0)) AS checksum
  FROM shops
UNION ALL
SELECT 'shop_members' AS `table`, COUNT(*) AS row_count,
       CONCAT(BIT_XOR(CRC32(CONCAT_WS('|', QUOTE(shop_id), QUOTE(user_id), QUOTE(role), QUOTE(added_at)))), '-',
              COALESCE(SUM(CRC32(CONCAT_WS('|', QUOTE(shop_id), QUOTE(user_id), QUOTE(role), QUOTE(added_at)))), 0)) AS checksum
  FROM shop_members
UNION ALL
SELECT 'customers' AS `table`, COUNT(*) AS row_count,
       CONCAT(BIT_XOR(CRC32(CONCAT_WS('|', QUOTE(id), QUOTE(shop_id), QUOTE(name), QUOTE(phone), QUOTE(note), QUOTE(created_at), QUOTE(created_by)))), '-',
              COALESCE(SUM(CRC32(CONCAT_WS('|', QUOTE(id), QUOTE(shop_id), QUOTE(name), QUOTE(phone), QUOTE(note), QUOTE(created_at), QUOTE(created_by)))), 0)) AS checksum
  FROM customers
UNION ALL
SELECT 'debts' AS `table`, COUNT(*) AS row_count,
       CONCAT(BIT_XOR(CRC32(CONCAT_WS('|', QUOTE(id), QUOTE(shop_id), QUOTE(customer_id), QUOTE(product), QUOTE(quantity), QUOTE(unit_price), QUOTE(total), QUOTE(paid), QUOTE(balance), QUOTE(debt_date), QUOTE(due_date), QUOTE(created_by), QUOTE(created_at), QUOTE(edited_at), QUOTE(edited_by), QUOTE(voided_at), QUOTE(voided_by), QUOTE(void_reason)))), '-',
              COALESCE(SUM(CRC32(CONCAT_WS('|', QUOTE(id), QUOTE(shop_id), QUOTE(customer_id), QUOTE(product), QUOTE(quantity), QUOTE(unit_price), QUOTE(total), QUOTE(paid), QUOTE(balance), QUOTE(debt_date), QUOTE(due_date), QUOTE(created_by), QUOTE(created_at), QUOTE(edited_at), QUOTE(edited_by), QUOTE(voided_at), QUOTE(voided_by), QUOTE(void_reason)))), 0)) AS checksum
  FROM debts
UNION ALL
SELECT 'payments' AS `table`, COUNT(*) AS row_count,
       CONCAT(BIT_XOR(CRC32(CONCAT_WS('|', QUOTE(id), QUOTE(shop_id), QUOTE(debt_id), QUOTE(amount), QUOTE(method), QUOTE(reference), QUOTE(paid_at), QUOTE(recorded_by), QUOTE(created_at), QUOTE(edited_at), QUOTE(edited_by), QUOTE(voided_at), QUOTE(voided_by), QUOTE(void_reason)))), '-',
              COALESCE(SUM(CRC32(CONCAT_WS('|', QUOTE(id), QUOTE(shop_id), QUOTE(debt_id), QUOTE(amount), QUOTE(method), QUOTE(reference), QUOTE(paid_at), QUOTE(recorded_by), QUOTE(created_at), QUOTE(edited_at), QUOTE(edited_by), QUOTE(voided_at), QUOTE(voided_by), QUOTE(void_reason)))), 0)) AS checksum
  FROM payments
UNION ALL
SELECT 'active_debtors' AS `table`, COUNT(*) AS row_count,
       CONCAT(BIT_XOR(CRC32(CONCAT_WS('|', QUOTE(shop_id), QUOTE(customer_id), QUOTE(balance), QUOTE(updated_at)))), '-',
              COALESCE(SUM(CRC32(CONCAT_WS('|', QUOTE(shop_id), QUOTE(customer_id), QUOTE(balance), QUOTE(updated_at)))), 0)) AS checksum
  FROM active_debtors
UNION ALL
SELECT 'categories' AS `table`, COUNT(*) AS row_count,
       CONCAT(BIT_XOR(CRC32(CONCAT_WS('|', QUOTE(id), QUOTE(shop_id), QUOTE(name), QUOTE(description), QUOTE(monthly_budget), QUOTE(created_at)))), '-',
              COALESCE(SUM(CRC32(CONCAT_WS('|', QUOTE(id), QUOTE(shop_id), QUOTE(name), QUOTE(description), QUOTE(monthly_budget), QUOTE(created_at)))), 0)) AS checksum
  FROM categories
UNION ALL
SELECT 'expenses' AS `table`, COUNT(*) AS row_count,
       CONCAT(BIT_XOR(CRC32(CONCAT_WS('|', QUOTE(id), QUOTE(shop_id), QUOTE(category_id), QUOTE(spent_on), QUOTE(amount), QUOTE(payment_mode), QUOTE(cashback), QUOTE(description), QUOTE(recorded_by), QUOTE(created_at), QUOTE(edited_at), QUOTE(edited_by)))), '-',
              COALESCE(SUM(CRC32(CONCAT_WS('|', QUOTE(id), QUOTE(shop_id), QUOTE(category_id), QUOTE(spent_on), QUOTE(amount), QUOTE(payment_mode), QUOTE(cashback), QUOTE(description), QUOTE(recorded_by), QUOTE(created_at), QUOTE(edited_at), QUOTE(edited_by)))), 0)) AS checksum
  FROM expenses;

-- name: table_counts
-- Rows per table, for the simulator's summary.
SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM shops) AS shops,
       (SELECT COUNT(*) FROM customers) AS customers, (SELECT COUNT(*) FROM debts) AS debts,
       (SELECT COUNT(*) FROM payments) AS payments, (SELECT COUNT(*) FROM active_debtors) AS active_debtors,
       (SELECT COUNT(*) FROM expenses) AS expenses, (SELECT COUNT(*) FROM audit_log) AS audit_log;

-- name: expense_days_breaches
-- Days of a range of shops where the day-and-category roll-up differs from the expenses it sums, or sums none
-- (empty when the triggers or a rebuild kept it right). Set-based: one ordered pass over the covering index.
SELECT 'expense_days differs from expenses' AS problem, x.shop_id, x.spent_on
  FROM (SELECT shop_id, spent_on, category_id, SUM(amount) AS amount, SUM(cashback) AS cashback, COUNT(*) AS n
          FROM expenses FORCE INDEX (ix_expenses_shop_cover)
         WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s
         GROUP BY shop_id, spent_on, category_id) x
  LEFT JOIN expense_days d ON d.shop_id = x.shop_id AND d.spent_on = x.spent_on AND d.category_id = x.category_id
 WHERE d.amount IS NULL OR d.amount <> x.amount OR d.cashback <> x.cashback OR d.expenses <> x.n
UNION ALL
SELECT 'roll-up day without expenses', d.shop_id, d.spent_on
  FROM expense_days d
 WHERE d.shop_id BETWEEN %(first_shop)s AND %(last_shop)s
   AND NOT EXISTS (SELECT 1 FROM expenses e FORCE INDEX (ix_expenses_shop_cover)
                    WHERE e.shop_id = d.shop_id AND e.spent_on = d.spent_on AND e.category_id = d.category_id);

-- name: foreign_category_breaches
-- Days of a range of shops with spending in a category that is not the shop's: read in the day-and-category
-- roll-up, which the other checks hold equal to the expenses (a bulk load that cannot check its expenses' foreign
-- keys, db.bulk.loaders, is checked here once it has committed).
SELECT 'expenses in a category the shop does not have' AS problem, d.shop_id, d.spent_on
  FROM expense_days d
  LEFT JOIN categories c ON c.shop_id = d.shop_id AND c.id = d.category_id
 WHERE d.shop_id BETWEEN %(first_shop)s AND %(last_shop)s AND c.id IS NULL;

-- name: expense_day_modes_breaches
-- Days of a range of shops where the day-and-payment-mode roll-up differs from the expenses it sums, or sums none.
SELECT 'expense_day_modes differs from expenses' AS problem, x.shop_id, x.spent_on
  FROM (SELECT shop_id, spent_on, payment_mode, SUM(amount) AS amount, SUM(cashback) AS cashback, COUNT(*) AS n
          FROM expenses FORCE INDEX (ix_expenses_shop_cover)
         WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s
         GROUP BY shop_id, spent_on, payment_mode) x
  LEFT JOIN expense_day_modes d ON d.shop_id = x.shop_id AND d.spent_on = x.spent_on
                               AND d.payment_mode = x.payment_mode
 WHERE d.amount IS NULL OR d.amount <> x.amount OR d.cashback <> x.cashback OR d.expenses <> x.n
UNION ALL
SELECT 'mode roll-up day without expenses', d.shop_id, d.spent_on
  FROM expense_day_modes d
 WHERE d.shop_id BETWEEN %(first_shop)s AND %(last_shop)s
   AND NOT EXISTS (SELECT 1 FROM expenses e FORCE INDEX (ix_expenses_shop_cover)
                    WHERE e.shop_id = d.shop_id AND e.spent_on = d.spent_on AND e.payment_mode = d.payment_mode);

-- name: truncate_expense_days
-- Wipe.
TRUNCATE TABLE expense_days;

-- name: truncate_expense_day_modes
-- Wipe.
TRUNCATE TABLE expense_day_modes;

-- name: skip_credit_limit_lookups
-- The simulator's customers are new and have no credit limit: its sales skip the trigger's look-up of each one's
-- limit (migration 017's session flag, which an owner's confirmed sale sets too), a read per sale of the load.
SET @daftari_over_limit_ok = 1;

-- name: skip_debtors
-- This bulk-loading session leaves active_debtors to rebuild_active_debtors_of_shops before it commits (migration 019).
SET @daftari_skip_debtors = 1;

-- name: keep_debtors
-- Back to trigger-kept active debtors.
SET @daftari_skip_debtors = NULL;

-- name: clear_active_debtors_of_shops
-- The first half of a rebuild: the shops' active debtors as the per-row triggers left them.
DELETE FROM active_debtors WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s;

-- name: rebuild_active_debtors_of_shops
-- The second half: every customer of the shops with an open balance, summed from the sales that are not voided
-- (what the debts triggers keep row by row).
INSERT INTO active_debtors (shop_id, customer_id, balance)
SELECT shop_id, customer_id, SUM(balance)
  FROM debts
 WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s AND voided_at IS NULL
 GROUP BY shop_id, customer_id
HAVING SUM(balance) > 0;

-- name: skip_book_days
-- This bulk-loading session leaves the book's daily roll-up to rebuild_book_days_of_shops before it commits
-- (migration 020).
SET @daftari_skip_book_days = 1;

-- name: keep_book_days
-- Back to the trigger-kept daily roll-up of the book.
SET @daftari_skip_book_days = NULL;

-- name: clear_book_days_of_shops
-- The first half of a rebuild: the shops' days as the per-row triggers left them (a day whose sales were all voided
-- in a skipping session would otherwise keep its old sums).
DELETE FROM book_days WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s;

-- name: rebuild_book_days_of_shops
-- The book's daily roll-up of a range of shops from their sales and payments that are not voided (what the
-- triggers of migration 020 keep row by row), read from the covering indexes of the dashboard (005).
INSERT INTO book_days (shop_id, book_day, credit_given, sales, collected, payments)
SELECT shop_id, book_day, SUM(credit_given), SUM(sales), SUM(collected), SUM(payments)
  FROM (SELECT shop_id, debt_date AS book_day, SUM(total) AS credit_given, COUNT(*) AS sales, 0 AS collected,
               0 AS payments
          FROM debts FORCE INDEX (ix_debts_shop_credit)
         WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s AND voided_at IS NULL
         GROUP BY shop_id, debt_date
        UNION ALL
        SELECT shop_id, paid_at, 0, 0, SUM(amount), COUNT(*)
          FROM payments FORCE INDEX (ix_payments_shop_collected)
         WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s AND voided_at IS NULL
         GROUP BY shop_id, paid_at) u
 GROUP BY shop_id, book_day
    ON DUPLICATE KEY UPDATE credit_given = VALUES(credit_given), sales = VALUES(sales),
                            collected = VALUES(collected), payments = VALUES(payments);

-- name: book_days_breaches
-- Days of a range of shops where the book's daily roll-up differs from the sales and payments that are not
-- voided: each side summed per day, the roll-up subtracted, and every day whose difference is not zero (a row of
-- zeros in the roll-up is a day without them).
SELECT 'book_days differs from sales and payments' AS problem, u.shop_id, u.book_day
  FROM (SELECT shop_id, debt_date AS book_day, SUM(total) AS credit_given, COUNT(*) AS sales, 0 AS collected,
               0 AS payments
          FROM debts FORCE INDEX (ix_debts_shop_credit)
         WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s AND voided_at IS NULL
         GROUP BY shop_id, debt_date
        UNION ALL
        SELECT shop_id, paid_at, 0, 0, SUM(amount), COUNT(*)
          FROM payments FORCE INDEX (ix_payments_shop_collected)
         WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s AND voided_at IS NULL
         GROUP BY shop_id, paid_at
        UNION ALL
        SELECT shop_id, book_day, -credit_given, -sales, -collected, -payments
          FROM book_days
         WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s) u
 GROUP BY u.shop_id, u.book_day
HAVING SUM(u.credit_given) <> 0 OR SUM(u.sales) <> 0 OR SUM(u.collected) <> 0 OR SUM(u.payments) <> 0;

-- name: truncate_book_days
-- Wipe.
TRUNCATE TABLE book_days;
