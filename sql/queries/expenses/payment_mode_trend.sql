/* ---
title = "One payment mode month by month"
description = "What was paid with one payment mode in each month of the period, how many expenses, and its share of the month's spending in percent; a row for every month (0 when the mode was not used)."
topic = "Expenses"
columns = ["month", "spent", "expenses", "share"]
money = ["spent"]
chart = { type = "line", x = "month", y = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
[[params]]
name = "mode"
type = "choice"
label = "Payment mode"
options = ["Cash", "M-Pesa", "Credit Card", "Debit Card", "Bank transfer", "Online"]
default = "M-Pesa"
--- */
WITH RECURSIVE months AS (
       SELECT CAST(%(period_start)s AS DATE) - INTERVAL (DAYOFMONTH(%(period_start)s) - 1) DAY AS month_start
       UNION ALL
       SELECT m.month_start + INTERVAL 1 MONTH FROM months m WHERE m.month_start + INTERVAL 1 MONTH <= %(period_end)s)
SELECT DATE_FORMAT(m.month_start, '%Y-%m') AS month,
       COALESCE(SUM(IF(d.payment_mode = %(mode)s, d.amount, 0)), 0) AS spent,
       CAST(COALESCE(SUM(IF(d.payment_mode = %(mode)s, d.expenses, 0)), 0) AS SIGNED) AS expenses,
       COALESCE(ROUND(100 * SUM(IF(d.payment_mode = %(mode)s, d.amount, 0)) / SUM(d.amount), 1), 0) AS share
  FROM months m
  LEFT JOIN expense_day_modes d ON d.shop_id = %(shop_id)s
        AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
        AND d.spent_on BETWEEN m.month_start AND LAST_DAY(m.month_start)
 GROUP BY m.month_start ORDER BY m.month_start
