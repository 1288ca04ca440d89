/* ---
title = "Largest expenses"
description = "The biggest single expenses of the period; the page shows as many as you ask for, the download every expense, largest first."
topic = "Expenses"
columns = ["spent_on", "category", "description", "amount", "payment_mode"]
money = ["amount"]
chart = { type = "bar", x = "description", y = "amount" }
cap = "how_many"

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
min = 1
max = 1000
step = 1
--- */
SELECT e.spent_on, c.name AS category, e.description, e.amount, e.payment_mode
  FROM expenses e
  JOIN categories c ON c.shop_id = %(shop_id)s AND c.id = e.category_id
 WHERE e.shop_id = %(shop_id)s AND e.spent_on BETWEEN %(period_start)s AND %(period_end)s
 ORDER BY e.amount DESC, e.id
