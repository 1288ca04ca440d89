-- The shopkeeper's dashboard (duka/dashboard.py).

-- name: debt_kpis
-- The shop's headline figures for today, and this month's so far against the same days of last month.
SELECT
  (SELECT COALESCE(SUM(balance), 0) FROM active_debtors WHERE shop_id = %(shop_id)s) AS outstanding,
  (SELECT COUNT(*) FROM active_debtors WHERE shop_id = %(shop_id)s) AS active_debtors,
  (SELECT COALESCE(SUM(amount), 0) FROM payments
    WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND paid_at = %(today)s) AS collected_today,
  (SELECT COALESCE(SUM(amount), 0) FROM payments
    WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND paid_at BETWEEN %(month_start)s AND %(today)s) AS collected_month,
  (SELECT COALESCE(SUM(total), 0) FROM debts
    WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND debt_date BETWEEN %(month_start)s AND %(today)s) AS credit_month,
  (SELECT COALESCE(SUM(amount), 0) FROM payments
    WHERE shop_id = %(shop_id)s AND voided_at IS NULL
      AND paid_at BETWEEN %(last_month_start)s AND %(last_month_day)s) AS collected_last_month,
  (SELECT COALESCE(SUM(total), 0) FROM debts
    WHERE shop_id = %(shop_id)s AND voided_at IS NULL
      AND debt_date BETWEEN %(last_month_start)s AND %(last_month_day)s) AS credit_last_month,
  (SELECT COALESCE(SUM(balance), 0) FROM debts
    WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND balance > 0 AND due_date < %(today)s) AS overdue;

-- name: top_debtors
-- The customers who owe the most.
SELECT c.id AS customer_id, c.name, a.balance
  FROM active_debtors a JOIN customers c ON c.shop_id = a.shop_id AND c.id = a.customer_id
 WHERE a.shop_id = %(shop_id)s
 ORDER BY a.balance DESC, c.name
 LIMIT %(limit)s;

-- name: debt_ageing
-- Open balances by the age of the sale: 0–30, 31–60, 61–90 and over 90 days (every bucket present).
SELECT b.bucket, COALESCE(x.amount, 0) AS amount, COALESCE(x.debts, 0) AS debts
  FROM (SELECT 1 AS ord, '0–30 days' AS bucket UNION ALL SELECT 2, '31–60 days'
        UNION ALL SELECT 3, '61–90 days' UNION ALL SELECT 4, 'over 90 days') AS b
  LEFT JOIN (SELECT CASE WHEN age <= 30 THEN 1 WHEN age <= 60 THEN 2 WHEN age <= 90 THEN 3 ELSE 4 END AS ord,
                    SUM(balance) AS amount, COUNT(*) AS debts
               FROM (SELECT balance, DATEDIFF(%(today)s, debt_date) AS age
                       FROM debts
                      WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND balance > 0) AS open_debts
              GROUP BY 1) AS x ON x.ord = b.ord
 ORDER BY b.ord;

-- name: shop_monthly_overview
-- Per month from first_month to last_month (every month present): credit given, money collected and expenses.
WITH RECURSIVE months (month_start) AS (
       SELECT CAST(%(first_month)s AS DATE)
       UNION ALL
       SELECT month_start + INTERVAL 1 MONTH FROM months WHERE month_start < %(last_month)s),
     credit AS (
       SELECT debt_date - INTERVAL (DAYOFMONTH(debt_date) - 1) DAY AS month_start, SUM(total) AS credit_given
         FROM debts
        WHERE shop_id = %(shop_id)s AND voided_at IS NULL
          AND debt_date >= %(first_month)s AND debt_date < %(last_month)s + INTERVAL 1 MONTH
        GROUP BY 1),
     collected AS (
       SELECT paid_at - INTERVAL (DAYOFMONTH(paid_at) - 1) DAY AS month_start, SUM(amount) AS collected
         FROM payments
        WHERE shop_id = %(shop_id)s AND voided_at IS NULL
          AND paid_at >= %(first_month)s AND paid_at < %(last_month)s + INTERVAL 1 MONTH
        GROUP BY 1),
     spent AS (
       SELECT spent_on - INTERVAL (DAYOFMONTH(spent_on) - 1) DAY AS month_start, SUM(amount) AS expenses
         FROM expense_days
        WHERE shop_id = %(shop_id)s
          AND spent_on >= %(first_month)s AND spent_on < %(last_month)s + INTERVAL 1 MONTH
        GROUP BY 1)
SELECT m.month_start, COALESCE(c.credit_given, 0) AS credit_given, COALESCE(p.collected, 0) AS collected,
       COALESCE(s.expenses, 0) AS expenses
  FROM months m
  LEFT JOIN credit c ON c.month_start = m.month_start
  LEFT JOIN collected p ON p.month_start = m.month_start
  LEFT JOIN spent s ON s.month_start = m.month_start
 ORDER BY m.month_start;
