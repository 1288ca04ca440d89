-- Spending analytics (duka/analytics.py), read from the daily roll-ups.

-- name: expense_summary
-- Total, cashback, count and daily average for a period, and the total of the period just before it (from the daily roll-up).
SELECT COALESCE(SUM(IF(spent_on >= %(start)s, amount, 0)), 0) AS total,
       COALESCE(SUM(IF(spent_on >= %(start)s, cashback, 0)), 0) AS cashback,
       COALESCE(SUM(IF(spent_on >= %(start)s, expenses, 0)), 0) AS expenses,
       ROUND(COALESCE(SUM(IF(spent_on >= %(start)s, amount, 0)), 0) / (DATEDIFF(%(end)s, %(start)s) + 1), 2)
         AS daily_average,
       COALESCE(SUM(IF(spent_on < %(start)s, amount, 0)), 0) AS previous_total
  FROM expense_days
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(previous_start)s AND %(end)s
   AND (%(category_ids)s = '' OR FIND_IN_SET(category_id, %(category_ids)s));

-- name: expense_monthly_trend
-- Spending and cashback per month of the period, every month present.
WITH RECURSIVE months (month_start) AS (
       SELECT CAST(%(first_month)s AS DATE)
       UNION ALL
       SELECT month_start + INTERVAL 1 MONTH FROM months WHERE month_start < %(last_month)s),
     spent AS (
       SELECT spent_on - INTERVAL (DAYOFMONTH(spent_on) - 1) DAY AS month_start,
              SUM(amount) AS spent, SUM(cashback) AS cashback, SUM(expenses) AS expenses
         FROM expense_days
        WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(start)s AND %(end)s
          AND (%(category_ids)s = '' OR FIND_IN_SET(category_id, %(category_ids)s))
        GROUP BY 1)
SELECT m.month_start, COALESCE(s.spent, 0) AS spent, COALESCE(s.cashback, 0) AS cashback,
       COALESCE(s.expenses, 0) AS expenses
  FROM months m LEFT JOIN spent s ON s.month_start = m.month_start
 ORDER BY m.month_start;

-- name: expense_by_payment_mode
-- Spending per payment mode in the period, with shares in percent (all categories: from the mode roll-up).
SELECT payment_mode, SUM(amount) AS spent, SUM(expenses) AS expenses,
       ROUND(100 * SUM(amount) / SUM(SUM(amount)) OVER (), 1) AS share
  FROM expense_day_modes
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(start)s AND %(end)s
 GROUP BY payment_mode
 ORDER BY spent DESC;

-- name: expense_by_payment_mode_in_categories
-- The same for chosen categories only (the mode roll-up has no categories, so this reads the expenses).
SELECT payment_mode, SUM(amount) AS spent, COUNT(*) AS expenses,
       ROUND(100 * SUM(amount) / SUM(SUM(amount)) OVER (), 1) AS share
  FROM expenses
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(start)s AND %(end)s
   AND FIND_IN_SET(category_id, %(category_ids)s)
 GROUP BY payment_mode
 ORDER BY spent DESC;

-- name: expense_by_weekday
-- Spending per day of the week (Monday first) in the period.
SELECT WEEKDAY(spent_on) AS weekday, SUM(amount) AS spent, SUM(expenses) AS expenses
  FROM expense_days
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(start)s AND %(end)s
   AND (%(category_ids)s = '' OR FIND_IN_SET(category_id, %(category_ids)s))
 GROUP BY WEEKDAY(spent_on)
 ORDER BY weekday;

-- name: expense_highest_day
-- The day with the most spending in the period (the earliest such day on a tie).
SELECT spent_on, SUM(amount) AS spent, SUM(expenses) AS expenses
  FROM expense_days
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(start)s AND %(end)s
   AND (%(category_ids)s = '' OR FIND_IN_SET(category_id, %(category_ids)s))
 GROUP BY spent_on
 ORDER BY spent DESC, spent_on
 LIMIT 1;

-- name: category_month_against_average
-- Each category's spending in one month against its average over the three months before, day for day: days 1
-- to through_day of each month (31 compares whole months, and a month shorter than through_day counts whole),
-- and the change in whole percent worked out from the unrounded average (NULL when there was nothing before).
SELECT category, this_month, ROUND(before_total / 3, 2) AS average_before,
       ROUND((3 * this_month - before_total) * 100 / NULLIF(before_total, 0), 0) AS change_percent
  FROM (SELECT c.name AS category,
               COALESCE(SUM(IF(e.spent_on >= %(month_start)s, e.amount, 0)), 0) AS this_month,
               COALESCE(SUM(IF(e.spent_on < %(month_start)s, e.amount, 0)), 0) AS before_total
          FROM expense_days e JOIN categories c ON c.shop_id = e.shop_id AND c.id = e.category_id
         WHERE e.shop_id = %(shop_id)s AND e.spent_on BETWEEN %(history_start)s AND %(month_end)s
           AND DAYOFMONTH(e.spent_on) <= %(through_day)s
         GROUP BY c.id, c.name) AS x
 ORDER BY category;
