/* ---
title = "Cashback per month"
description = "Cashback earned in each month of the period, a row for every month (0 when none was earned)."
topic = "Cashback"
columns = ["month", "cashback", "spent"]
money = ["cashback", "spent"]
chart = { type = "line", x = "month", y = "cashback" }

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
SELECT DATE_FORMAT(m.month_start, '%Y-%m') AS month, COALESCE(SUM(d.cashback), 0) AS cashback,
       COALESCE(SUM(d.amount), 0) AS spent
  FROM months m
  LEFT JOIN expense_days d ON d.shop_id = %(shop_id)s
        AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
        AND d.spent_on BETWEEN m.month_start AND LAST_DAY(m.month_start)
 GROUP BY m.month_start ORDER BY m.month_start
