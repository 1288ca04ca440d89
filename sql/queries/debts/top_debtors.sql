/* ---
title = "Top debtors"
description = "The customers who owe the most right now, largest balance first (the dashboard shows the first 10). The page shows as many as you ask for; the downloads hold every customer who owes."
topic = "Debts"
columns = ["customer", "phone", "balance"]
money = ["balance"]
chart = { type = "bar", x = "customer", y = "balance" }
cap = "how_many"

[[params]]
name = "how_many"
type = "number"
label = "How many"
default = 10
min = 1
max = 1000
step = 1
--- */
SELECT c.name AS customer, c.phone, a.balance
  FROM active_debtors a
  JOIN customers c ON c.shop_id = %(shop_id)s AND c.id = a.customer_id
 WHERE a.shop_id = %(shop_id)s
 ORDER BY a.balance DESC, c.name, c.id
