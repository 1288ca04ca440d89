/* ---
title = "Who owed what on a day"
description = "Each customer's debt as the book stood on a given day: their sales made on or before it, less the payments dated on or before it and the write-offs standing that day (voided sales and payments left out); the largest debt first."
topic = "Debts"
columns = ["customer", "phone", "open_sales", "owed", "oldest_sale"]
money = ["owed"]
chart = { type = "bar", x = "customer", y = "owed" }

[[params]]
name = "on_day"
type = "date"
label = "On"
default = "month_start"
--- */
SELECT c.name AS customer, c.phone, COUNT(*) AS open_sales, SUM(o.balance) AS owed, MIN(o.debt_date) AS oldest_sale
  FROM (SELECT d.id, d.customer_id, d.debt_date,
               d.total - COALESCE(SUM(p.amount), 0) - COALESCE(MAX(w.written_off), 0) AS balance
          FROM debts d
          LEFT JOIN payments p ON p.shop_id = %(shop_id)s AND p.debt_id = d.id AND p.voided_at IS NULL
                AND p.paid_at <= %(on_day)s
          LEFT JOIN (SELECT x.debt_id, SUM(x.amount) AS written_off
                       FROM write_offs x
                      WHERE x.shop_id = %(shop_id)s AND x.written_at < %(on_day)s + INTERVAL 1 DAY
                        AND (x.reversed_at IS NULL OR x.reversed_at >= %(on_day)s + INTERVAL 1 DAY)
                      GROUP BY x.debt_id) w ON w.debt_id = d.id
         WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.debt_date <= %(on_day)s
         GROUP BY d.id, d.customer_id, d.debt_date, d.total) AS o
  JOIN customers c ON c.shop_id = %(shop_id)s AND c.id = o.customer_id
 WHERE o.balance > 0
 GROUP BY c.id, c.name, c.phone ORDER BY owed DESC, c.name
