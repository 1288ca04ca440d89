/* ---
title = "Customers who buy most on credit"
description = "Credit sales per customer in the period (voided sales left out), and how much of them is paid so far; the largest buyers first."
topic = "Customers"
columns = ["customer", "sales", "bought", "paid"]
money = ["bought", "paid"]
chart = { type = "bar", x = "customer", y = "bought" }
cap = 25

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT c.name AS customer, COUNT(*) AS sales, SUM(d.total) AS bought, SUM(d.paid) AS paid
  FROM debts d
  JOIN customers c ON c.shop_id = %(shop_id)s AND c.id = d.customer_id
 WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.debt_date BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY c.id, c.name ORDER BY bought DESC, c.name, c.id
