/* ---
title = "Top debtors"
description = "The customers who owe the most right now."
topic = "Debts"
columns = ["customer", "phone", "balance"]
money = ["balance"]
chart = { type = "bar", x = "customer", y = "balance" }

[[params]]
name = "how_many"
type = "number"
label = "How many"
default = 10
--- */
SELECT c.name AS customer, c.phone, a.balance
  FROM active_debtors a JOIN customers c ON c.shop_id = a.shop_id AND c.id = a.customer_id
 WHERE a.shop_id = %(shop_id)s
 ORDER BY a.balance DESC, c.name LIMIT %(how_many)s
