/* ---
title = "Cashback by category"
description = "Cashback earned in each category."
topic = "Cashback"
columns = ["category", "cashback"]
money = ["cashback"]
chart = { type = "bar", x = "category", y = "cashback" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT c.name AS category, SUM(d.cashback) AS cashback
  FROM expense_days d JOIN categories c ON c.shop_id = d.shop_id AND c.id = d.category_id
 WHERE d.shop_id = %(shop_id)s AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY c.id, c.name HAVING cashback > 0 ORDER BY cashback DESC
