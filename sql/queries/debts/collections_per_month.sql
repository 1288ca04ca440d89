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
       SELECT m.month_start + INTERVAL 1 MONTH FROM months m WHERE m.month_start + INTERVAL 1 MONTH <= %(period_end)s),
     collected AS (
       SELECT p.paid_at - INTERVAL (DAYOFMONTH(p.paid_at) - 1) DAY AS month_start, SUM(p.amount) AS collected,
              COUNT(*) AS payments
         FROM payments p
        WHERE p.shop_id = %(shop_id)s AND p.voided_at IS NULL AND p.paid_at BETWEEN %(period_start)s AND %(period_end)s
        GROUP BY 1)
SELECT DATE_FORMAT(m.month_start, '%Y-%m') AS month, COALESCE(k.collected, 0) AS collected,
       COALESCE(k.payments, 0) AS payments
  FROM months m
  LEFT JOIN collected k ON k.month_start = m.month_start
 ORDER BY m.month_start
