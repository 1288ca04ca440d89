/* ---
title = "Customers who buy most on credit"
description = "Credit sales per customer in the period, and how much of it is paid."
topic = "Customers"
columns = ["customer", "sales", "bought", "paid"]
money = ["bought", "paid"]
chart = { type = "bar", x = "customer", y = "bought" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT c.name AS customer, COUNT(*) AS sales, SUM(d.total) AS bought, SUM(d.paid) AS paid
  FROM debts d JOIN customers c ON c.shop_id = d.shop_id AND c.id = d.customer_id
 WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.debt_date BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY c.id, c.name ORDER BY bought DESC LIMIT 25
