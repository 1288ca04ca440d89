/* ---
title = "Average days to clear a debt"
description = "For sales paid in full whose last payment fell in the period: the days from sale to last payment, added up and divided by the number of those sales (0 when no sale was cleared). A sale written off was not paid in full: it is left out."
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
SELECT COALESCE(ROUND(AVG(DATEDIFF(x.last_paid, x.debt_date)), 1), 0) AS average_days, COUNT(*) AS cleared_sales,
       COALESCE(MAX(DATEDIFF(x.last_paid, x.debt_date)), 0) AS longest_days
  FROM (SELECT d.id, d.debt_date, MAX(p.paid_at) AS last_paid
          FROM debts d
          JOIN payments p ON p.shop_id = %(shop_id)s AND p.debt_id = d.id AND p.voided_at IS NULL
         WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.paid = d.total
         GROUP BY d.id, d.debt_date) AS x
 WHERE x.last_paid BETWEEN %(period_start)s AND %(period_end)s
