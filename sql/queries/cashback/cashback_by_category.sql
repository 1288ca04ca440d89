/* ---
title = "Cashback by category"
description = "Cashback earned in each category that earned any, and its rate: cashback divided by what the category spent, in percent."
topic = "Cashback"
columns = ["category", "cashback", "spent", "rate_percent"]
money = ["cashback", "spent"]
chart = { type = "bar", x = "category", y = "cashback" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT c.name AS category, SUM(d.cashback) AS cashback, SUM(d.amount) AS spent,
       ROUND(100 * SUM(d.cashback) / SUM(d.amount), 2) AS rate_percent
  FROM expense_days d
  JOIN categories c ON c.shop_id = %(shop_id)s AND c.id = d.category_id
 WHERE d.shop_id = %(shop_id)s AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY c.id, c.name HAVING cashback > 0 ORDER BY cashback DESC, c.name
