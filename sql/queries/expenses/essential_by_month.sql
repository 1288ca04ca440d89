/* ---
title = "Essential and discretionary month by month"
description = "Each month of the period: spending in essential categories (the ones marked essential), in the others, and the essential share of the month's spending in percent; a row for every month (0 when nothing was spent)."
topic = "Expenses"
columns = ["month", "essential", "discretionary", "essential_share"]
money = ["essential", "discretionary"]
chart = { type = "bar", x = "month", y = ["essential", "discretionary"] }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
--- */
WITH RECURSIVE months AS (
       SELECT CAST(%(period_start)s AS DATE) - INTERVAL (DAYOFMONTH(%(period_start)s) - 1) DAY AS month_start
       UNION ALL
       SELECT m.month_start + INTERVAL 1 MONTH FROM months m WHERE m.month_start + INTERVAL 1 MONTH <= %(period_end)s)
SELECT DATE_FORMAT(m.month_start, '%Y-%m') AS month,
       COALESCE(SUM(IF(c.essential = 1, d.amount, 0)), 0) AS essential,
       COALESCE(SUM(IF(c.essential = 1, 0, d.amount)), 0) AS discretionary,
       COALESCE(ROUND(100 * SUM(IF(c.essential = 1, d.amount, 0)) / SUM(d.amount), 1), 0) AS essential_share
  FROM months m
  LEFT JOIN expense_days d ON d.shop_id = %(shop_id)s
        AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
        AND d.spent_on BETWEEN m.month_start AND LAST_DAY(m.month_start)
  LEFT JOIN categories c ON c.shop_id = %(shop_id)s AND c.id = d.category_id
 GROUP BY m.month_start ORDER BY m.month_start
