/* ---
title = "Largest expenses"
description = "The biggest single expenses of the period."
topic = "Expenses"
columns = ["spent_on", "category", "description", "amount", "payment_mode"]
money = ["amount"]
chart = { type = "bar", x = "description", y = "amount" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
[[params]]
name = "how_many"
type = "number"
label = "How many"
default = 10
--- */
SELECT e.spent_on, c.name AS category, e.description, e.amount, e.payment_mode
  FROM expenses e JOIN categories c ON c.shop_id = e.shop_id AND c.id = e.category_id
 WHERE e.shop_id = %(shop_id)s AND e.spent_on BETWEEN %(period_start)s AND %(period_end)s
 ORDER BY e.amount DESC, e.id LIMIT %(how_many)s
