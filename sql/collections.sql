-- Collections (duka/collections.py): credit periods and limits, write-offs, who to remind and what was sent.
-- A sale's effective due date is its due date, or credit_days after the sale when it has none (migration 017).

-- settings -----------------------------------------------------------------------------------------

-- name: collection_settings
-- The shop's default credit period, how many days ahead a debt counts as due soon, and how often to remind.
SELECT credit_days, reminder_days, remind_every_days FROM shops WHERE id = %(shop_id)s;

-- name: update_collection_settings
-- The owner's new collection settings (the table's CHECKs hold the same bounds as the rules).
UPDATE shops
   SET credit_days = %(credit_days)s, reminder_days = %(reminder_days)s, remind_every_days = %(remind_every_days)s
 WHERE id = %(shop_id)s;

-- credit limits ------------------------------------------------------------------------------------

-- name: customer_credit
-- One customer's credit limit (NULL: none) and open balance.
SELECT c.id AS customer_id, c.name, c.credit_limit, COALESCE(a.balance, 0.00) AS balance
  FROM customers c
  LEFT JOIN active_debtors a ON a.shop_id = c.shop_id AND a.customer_id = c.id
 WHERE c.shop_id = %(shop_id)s AND c.id = %(customer_id)s;

-- name: update_credit_limit
-- The owner sets or clears a customer's credit limit (the audit trigger keeps the old one).
UPDATE customers SET credit_limit = %(credit_limit)s WHERE shop_id = %(shop_id)s AND id = %(customer_id)s;

-- name: allow_over_limit
-- This transaction may take a customer past their credit limit: an owner confirmed (the triggers read it).
SET @daftari_over_limit_ok = 1;

-- name: forbid_over_limit
-- The credit limit holds again for the rest of the session.
SET @daftari_over_limit_ok = NULL;

-- write-offs ---------------------------------------------------------------------------------------

-- name: open_sales_to_write_off
-- A customer's sales that still owe something, oldest first, locked in that order (as payments lock them).
SELECT id AS debt_id, product, balance
  FROM debts
 WHERE shop_id = %(shop_id)s AND customer_id = %(customer_id)s AND voided_at IS NULL AND balance > 0
 ORDER BY debt_date, id
   FOR UPDATE;

-- name: insert_write_off
-- A sale's remaining balance given up; the trigger raises the sale's written_off or refuses.
INSERT INTO write_offs (shop_id, debt_id, amount, reason, written_at, written_by)
VALUES (%(shop_id)s, %(debt_id)s, %(amount)s, %(reason)s, %(written_at)s, %(user_id)s);

-- name: write_off_for_update
-- One write-off of this shop, locked while it is reversed.
SELECT id AS write_off_id, debt_id, amount, reversed_at
  FROM write_offs WHERE shop_id = %(shop_id)s AND id = %(write_off_id)s FOR UPDATE;

-- name: reverse_write_off
-- The write-off no longer stands: the trigger gives the amount back to the sale's balance.
UPDATE write_offs
   SET reversed_at = %(reversed_at)s, reversed_by = %(user_id)s, reverse_reason = %(reason)s
 WHERE shop_id = %(shop_id)s AND id = %(write_off_id)s AND reversed_at IS NULL;

-- name: write_offs_of_customer
-- A customer's write-offs, newest first, reversed ones included, with the sale and who wrote off and reversed.
SELECT w.id AS write_off_id, w.debt_id, d.product, d.debt_date, w.amount, w.reason, w.written_at,
       CONCAT(wb.first_name, ' ', wb.last_name) AS written_by, w.reversed_at,
       CONCAT(rb.first_name, ' ', rb.last_name) AS reversed_by, w.reverse_reason
  FROM write_offs w
  JOIN debts d ON d.shop_id = w.shop_id AND d.id = w.debt_id
  LEFT JOIN users wb ON wb.id = w.written_by
  LEFT JOIN users rb ON rb.id = w.reversed_by
 WHERE w.shop_id = %(shop_id)s AND d.shop_id = %(shop_id)s AND d.customer_id = %(customer_id)s
 ORDER BY w.written_at DESC, w.id DESC;

-- figures and who to remind -------------------------------------------------------------------------

-- name: due_figures
-- Open sales overdue (effective due date before today) and due soon (today to reminder_days ahead), customers and
-- amounts, with the live write-offs (reversed ones left out) of this month and this year up to today.
SELECT o.overdue_amount, o.overdue_customers, o.due_soon_amount, o.due_soon_customers,
       w.written_off_month, w.written_off_month_sales, w.written_off_month_customers,
       w.written_off_year, w.written_off_year_sales, w.written_off_year_customers
  FROM (SELECT COALESCE(SUM(IF(open_sales.due < %(today)s, open_sales.balance, 0)), 0) AS overdue_amount,
               COUNT(DISTINCT IF(open_sales.due < %(today)s, open_sales.customer_id, NULL)) AS overdue_customers,
               COALESCE(SUM(IF(open_sales.due >= %(today)s AND open_sales.due <= open_sales.soon,
                               open_sales.balance, 0)), 0) AS due_soon_amount,
               COUNT(DISTINCT IF(open_sales.due >= %(today)s AND open_sales.due <= open_sales.soon,
                                 open_sales.customer_id, NULL)) AS due_soon_customers
          FROM (SELECT d.customer_id, d.balance,
                       COALESCE(d.due_date, d.debt_date + INTERVAL s.credit_days DAY) AS due,
                       CAST(%(today)s AS DATE) + INTERVAL s.reminder_days DAY AS soon
                  FROM debts d JOIN shops s ON s.id = %(shop_id)s
                 WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.balance > 0) open_sales) o
  CROSS JOIN
       (SELECT COALESCE(SUM(IF(x.written_at >= %(month_start)s, x.amount, 0)), 0) AS written_off_month,
               COUNT(IF(x.written_at >= %(month_start)s, 1, NULL)) AS written_off_month_sales,
               COUNT(DISTINCT IF(x.written_at >= %(month_start)s, xd.customer_id, NULL)) AS written_off_month_customers,
               COALESCE(SUM(x.amount), 0) AS written_off_year,
               COUNT(*) AS written_off_year_sales,
               COUNT(DISTINCT xd.customer_id) AS written_off_year_customers
          FROM write_offs x JOIN debts xd ON xd.shop_id = %(shop_id)s AND xd.id = x.debt_id
         WHERE x.shop_id = %(shop_id)s AND x.reversed_at IS NULL
           AND x.written_at >= %(year_start)s AND x.written_at < %(tomorrow)s) w;

-- name: due_for_reminder
-- Customers who owe and whose oldest open sale is overdue, due within reminder_days, or older than reminder_days,
-- and who were not reminded in the last remind_every_days days, the most overdue first.
SELECT c.id AS customer_id, c.name, c.phone, a.balance, o.oldest_due, o.oldest_sale,
       r.last_reminded, COALESCE(r.reminders, 0) AS reminders,
       CASE WHEN o.oldest_due < %(today)s THEN 'overdue'
            WHEN o.oldest_due <= CAST(%(today)s AS DATE) + INTERVAL s.reminder_days DAY THEN 'due_soon'
            ELSE 'owing' END AS status
  FROM active_debtors a
  JOIN shops s ON s.id = %(shop_id)s
  JOIN customers c ON c.shop_id = %(shop_id)s AND c.id = a.customer_id
  JOIN (SELECT d.customer_id, MIN(COALESCE(d.due_date, d.debt_date + INTERVAL ds.credit_days DAY)) AS oldest_due,
               MIN(d.debt_date) AS oldest_sale
          FROM debts d JOIN shops ds ON ds.id = %(shop_id)s
         WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.balance > 0
         GROUP BY d.customer_id) o ON o.customer_id = a.customer_id
  LEFT JOIN (SELECT customer_id, MAX(sent_at) AS last_reminded, COUNT(*) AS reminders
               FROM reminders WHERE shop_id = %(shop_id)s
              GROUP BY customer_id) r ON r.customer_id = a.customer_id
 WHERE a.shop_id = %(shop_id)s AND a.balance > 0
   AND (o.oldest_due <= CAST(%(today)s AS DATE) + INTERVAL s.reminder_days DAY
        OR o.oldest_sale < CAST(%(today)s AS DATE) - INTERVAL s.reminder_days DAY)
   AND (r.last_reminded IS NULL
        OR r.last_reminded < CAST(%(today)s AS DATE) - INTERVAL (s.remind_every_days - 1) DAY)
 ORDER BY o.oldest_due, a.balance DESC, c.name, c.id;

-- reminders ---------------------------------------------------------------------------------------

-- name: customer_now
-- One customer of this shop with what they owe now (what a reminder records).
SELECT c.id AS customer_id, c.name, COALESCE(a.balance, 0.00) AS balance
  FROM customers c
  LEFT JOIN active_debtors a ON a.shop_id = c.shop_id AND a.customer_id = c.id
 WHERE c.shop_id = %(shop_id)s AND c.id = %(customer_id)s;

-- name: insert_reminder
-- A reminder sent: who, when, how, in which language, what it said and the balance then.
INSERT INTO reminders (shop_id, customer_id, sent_at, sent_by, channel, language, text, balance)
VALUES (%(shop_id)s, %(customer_id)s, %(sent_at)s, %(user_id)s, %(channel)s, %(language)s, %(text)s, %(balance)s);

-- name: reminders_of_customer
-- The reminders a customer was sent, newest first, with who sent each.
SELECT r.id AS reminder_id, r.sent_at, CONCAT(u.first_name, ' ', u.last_name) AS sent_by, r.channel, r.language,
       r.text, r.balance
  FROM reminders r
  LEFT JOIN users u ON u.id = r.sent_by
 WHERE r.shop_id = %(shop_id)s AND r.customer_id = %(customer_id)s
 ORDER BY r.sent_at DESC, r.id DESC;

-- name: reminder_template
-- The shop's own reminder message in one language, if it wrote one.
SELECT body FROM reminder_templates WHERE shop_id = %(shop_id)s AND language = %(language)s;

-- name: save_reminder_template
-- The owner's reminder message in one language, replacing the one before (the audit trigger keeps it).
INSERT INTO reminder_templates (shop_id, language, body) VALUES (%(shop_id)s, %(language)s, %(body)s)
    ON DUPLICATE KEY UPDATE body = VALUES(body);

-- name: delete_reminder_template
-- Back to Daftari's default message in one language.
DELETE FROM reminder_templates WHERE shop_id = %(shop_id)s AND language = %(language)s;

-- name: reminder_facts
-- What a reminder to one customer says: the shop, its Paybill, the customer's account number, what they owe, the
-- earliest effective due date and the date of the oldest sale still open.
SELECT s.name AS shop_name, s.currency,
       (SELECT ms.short_code FROM mpesa_settings ms WHERE ms.shop_id = %(shop_id)s) AS paybill,
       c.name, c.account_no, COALESCE(a.balance, 0.00) AS balance,
       (SELECT MIN(COALESCE(d.due_date, d.debt_date + INTERVAL s.credit_days DAY))
          FROM debts d
         WHERE d.shop_id = %(shop_id)s AND d.customer_id = c.id AND d.voided_at IS NULL AND d.balance > 0) AS oldest_due,
       (SELECT MIN(d.debt_date)
          FROM debts d
         WHERE d.shop_id = %(shop_id)s AND d.customer_id = c.id AND d.voided_at IS NULL AND d.balance > 0) AS oldest_sale
  FROM customers c
  JOIN shops s ON s.id = c.shop_id
  LEFT JOIN active_debtors a ON a.shop_id = c.shop_id AND a.customer_id = c.id
 WHERE c.shop_id = %(shop_id)s AND c.id = %(customer_id)s;
