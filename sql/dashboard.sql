-- The shopkeeper's dashboard (duka/dashboard.py).

-- name: debt_kpis
-- The shop's headline figures for today, and this month's so far against the same days of last month. Overdue: open
-- sales past their effective due date (their due date, or the shop's credit period after the sale), as
-- duka/collections.due_figures counts them. Collected and credit given are read from the book's daily roll-up
-- (migration 020), not summed from a month of sales and payments.
SELECT
  (SELECT COALESCE(SUM(balance), 0) FROM active_debtors WHERE shop_id = %(shop_id)s) AS outstanding,
  (SELECT COUNT(*) FROM active_debtors WHERE shop_id = %(shop_id)s) AS active_debtors,
  (SELECT COALESCE(SUM(collected), 0) FROM book_days
    WHERE shop_id = %(shop_id)s AND book_day = %(today)s) AS collected_today,
  (SELECT COALESCE(SUM(collected), 0) FROM book_days
    WHERE shop_id = %(shop_id)s AND book_day BETWEEN %(month_start)s AND %(today)s) AS collected_month,
  (SELECT COALESCE(SUM(credit_given), 0) FROM book_days
    WHERE shop_id = %(shop_id)s AND book_day BETWEEN %(month_start)s AND %(today)s) AS credit_month,
  (SELECT COALESCE(SUM(collected), 0) FROM book_days
    WHERE shop_id = %(shop_id)s AND book_day BETWEEN %(last_month_start)s AND %(last_month_day)s) AS collected_last_month,
  (SELECT COALESCE(SUM(credit_given), 0) FROM book_days
    WHERE shop_id = %(shop_id)s AND book_day BETWEEN %(last_month_start)s AND %(last_month_day)s) AS credit_last_month,
  (SELECT COALESCE(SUM(d.balance), 0) FROM debts d JOIN shops s ON s.id = %(shop_id)s
    WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.balance > 0
      AND COALESCE(d.due_date, d.debt_date + INTERVAL s.credit_days DAY) < %(today)s) AS overdue;
