/* ---
title = "Average days to clear a debt"
description = "For sales paid in full whose last payment fell in the period: the average days from sale to last payment."
topic = "Debts"
columns = ["average_days", "cleared_sales", "longest_days"]
money = []
chart = { type = "metric", value = "average_days" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT ROUND(AVG(DATEDIFF(last_paid, debt_date)), 1) AS average_days, COUNT(*) AS cleared_sales,
       MAX(DATEDIFF(last_paid, debt_date)) AS longest_days
  FROM (SELECT d.id, d.debt_date, MAX(p.paid_at) AS last_paid
          FROM debts d JOIN payments p ON p.shop_id = d.shop_id AND p.debt_id = d.id AND p.voided_at IS NULL
         WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.balance = 0
         GROUP BY d.id, d.debt_date) AS cleared
 WHERE last_paid BETWEEN %(period_start)s AND %(period_end)s
