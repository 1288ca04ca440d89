/* ---
title = "New customers per month"
description = "How many customers were added each month."
topic = "Customers"
columns = ["month", "new_customers"]
money = []
chart = { type = "bar", x = "month", y = "new_customers" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
--- */
SELECT DATE_FORMAT(created_at, '%Y-%m') AS month, COUNT(*) AS new_customers
  FROM customers
 WHERE shop_id = %(shop_id)s AND created_at >= %(period_start)s AND created_at < %(period_end)s + INTERVAL 1 DAY
 GROUP BY 1 ORDER BY 1
