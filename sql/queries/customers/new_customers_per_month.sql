/* ---
title = "New customers per month"
description = "How many customers were added in each month of the period, a row for every month (0 when none)."
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
WITH RECURSIVE months AS (
       SELECT CAST(%(period_start)s AS DATE) - INTERVAL (DAYOFMONTH(%(period_start)s) - 1) DAY AS month_start
       UNION ALL
       SELECT m.month_start + INTERVAL 1 MONTH FROM months m WHERE m.month_start + INTERVAL 1 MONTH <= %(period_end)s)
SELECT DATE_FORMAT(m.month_start, '%Y-%m') AS month, COUNT(c.id) AS new_customers
  FROM months m
  LEFT JOIN customers c ON c.shop_id = %(shop_id)s
        AND c.created_at >= %(period_start)s AND c.created_at < %(period_end)s + INTERVAL 1 DAY
        AND c.created_at >= m.month_start AND c.created_at < m.month_start + INTERVAL 1 MONTH
 GROUP BY m.month_start ORDER BY m.month_start
