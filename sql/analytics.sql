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
