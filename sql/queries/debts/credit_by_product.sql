/* ---
title = "Credit sales by product"
description = "What is sold on credit most, by value."
topic = "Debts"
columns = ["product", "sales", "total", "still_owed"]
money = ["total", "still_owed"]
chart = { type = "bar", x = "product", y = "total" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT product, COUNT(*) AS sales, SUM(total) AS total, SUM(balance) AS still_owed
  FROM debts
 WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND debt_date BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY product ORDER BY total DESC LIMIT 50
