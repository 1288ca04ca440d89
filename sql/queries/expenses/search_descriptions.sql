/* ---
title = "Expenses by description"
description = "Expenses whose description contains the words you type (%, _ and \\ are plain characters; capitals do not matter, accents do: ü finds ü, not u), with a running total."
topic = "Expenses"
columns = ["spent_on", "category", "description", "amount", "payment_mode", "running_total"]
money = ["amount", "running_total"]
chart = { type = "table" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
[[params]]
name = "words"
type = "text"
label = "Description contains"
default = "Groceries"
like = true
--- */
SELECT e.spent_on, c.name AS category, e.description, e.amount, e.payment_mode,
       SUM(e.amount) OVER (ORDER BY e.spent_on, e.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_total
  FROM expenses e
  JOIN categories c ON c.shop_id = %(shop_id)s AND c.id = e.category_id
 WHERE e.shop_id = %(shop_id)s AND e.spent_on BETWEEN %(period_start)s AND %(period_end)s
   AND (%(words)s = '' OR LOWER(e.description) COLLATE utf8mb4_bin LIKE %(words)s)
 ORDER BY e.spent_on, e.id
