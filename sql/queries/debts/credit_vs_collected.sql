/* ---
title = "Credit given against collected"
description = "Per month of the period, what was sold on credit and what customers paid (voided sales and payments left out), a row for every month (0 when nothing happened)."
topic = "Debts"
columns = ["month", "credit_given", "collected"]
money = ["credit_given", "collected"]
chart = { type = "line", x = "month", y = ["credit_given", "collected"] }

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
     credit AS (
       SELECT d.debt_date - INTERVAL (DAYOFMONTH(d.debt_date) - 1) DAY AS month_start, SUM(d.total) AS credit_given
         FROM debts d
        WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.debt_date BETWEEN %(period_start)s AND %(period_end)s
        GROUP BY 1),
     collected AS (
       SELECT p.paid_at - INTERVAL (DAYOFMONTH(p.paid_at) - 1) DAY AS month_start, SUM(p.amount) AS collected
         FROM payments p
        WHERE p.shop_id = %(shop_id)s AND p.voided_at IS NULL AND p.paid_at BETWEEN %(period_start)s AND %(period_end)s
        GROUP BY 1)
SELECT DATE_FORMAT(m.month_start, '%Y-%m') AS month, COALESCE(c.credit_given, 0) AS credit_given,
       COALESCE(k.collected, 0) AS collected
  FROM months m
  LEFT JOIN credit c ON c.month_start = m.month_start
  LEFT JOIN collected k ON k.month_start = m.month_start
 ORDER BY m.month_start
