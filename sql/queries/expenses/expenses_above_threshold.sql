/* ---
title = "Expenses above a threshold"
description = "Single expenses larger than an amount you choose, the largest first."
topic = "Expenses"
columns = ["spent_on", "category", "description", "amount", "payment_mode"]
money = ["amount"]
chart = { type = "table" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
[[params]]
name = "threshold"
type = "number"
label = "More than"
default = 1000
min = 0
max = 1000000000
step = 0.01
--- */
SELECT e.spent_on, c.name AS category, e.description, e.amount, e.payment_mode
  FROM expenses e
  JOIN categories c ON c.shop_id = %(shop_id)s AND c.id = e.category_id
 WHERE e.shop_id = %(shop_id)s AND e.spent_on BETWEEN %(period_start)s AND %(period_end)s AND e.amount > %(threshold)s
 ORDER BY e.amount DESC, e.spent_on, e.id
