/* ---
title = "Credit sales by product"
description = "What is sold on credit most, by value (voided sales left out), and how much of it is still owed today."
topic = "Debts"
columns = ["product", "sales", "total", "still_owed"]
money = ["total", "still_owed"]
chart = { type = "bar", x = "product", y = "total" }
cap = 50

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT d.product, COUNT(*) AS sales, SUM(d.total) AS total, SUM(d.balance) AS still_owed
  FROM debts d
 WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.debt_date BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY d.product ORDER BY total DESC, d.product
