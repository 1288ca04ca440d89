/* ---
title = "Collections per month"
description = "Money collected from customers in each month of the period (voided payments left out), a row for every month (0 when nothing came in)."
topic = "Debts"
columns = ["month", "collected", "payments"]
money = ["collected"]
chart = { type = "bar", x = "month", y = "collected" }

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
SELECT DATE_FORMAT(m.month_start, '%Y-%m') AS month, COALESCE(SUM(p.amount), 0) AS collected, COUNT(p.id) AS payments
  FROM months m
  LEFT JOIN payments p ON p.shop_id = %(shop_id)s AND p.voided_at IS NULL
        AND p.paid_at BETWEEN %(period_start)s AND %(period_end)s
        AND p.paid_at BETWEEN m.month_start AND LAST_DAY(m.month_start)
 GROUP BY m.month_start ORDER BY m.month_start
