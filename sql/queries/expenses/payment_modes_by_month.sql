/* ---
title = "Payment modes month by month"
description = "How each month's spending was paid: a row for every month of the period and every payment mode, 0 when unused."
topic = "Expenses"
columns = ["month", "payment_mode", "spent", "expenses"]
money = ["spent"]
chart = { type = "bar", x = "month", y = "spent", color = "payment_mode" }

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
SELECT DATE_FORMAT(m.month_start, '%Y-%m') AS month, k.payment_mode, COALESCE(SUM(d.amount), 0) AS spent,
       CAST(COALESCE(SUM(d.expenses), 0) AS SIGNED) AS expenses
  FROM months m
 CROSS JOIN (SELECT 1 AS n, 'Cash' AS payment_mode UNION ALL SELECT 2, 'M-Pesa' UNION ALL SELECT 3, 'Credit Card'
             UNION ALL SELECT 4, 'Debit Card' UNION ALL SELECT 5, 'Bank transfer' UNION ALL SELECT 6, 'Online') AS k
  LEFT JOIN expense_day_modes d ON d.shop_id = %(shop_id)s AND d.payment_mode = k.payment_mode
        AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
        AND d.spent_on BETWEEN m.month_start AND LAST_DAY(m.month_start)
 GROUP BY m.month_start, k.n, k.payment_mode ORDER BY m.month_start, k.n
