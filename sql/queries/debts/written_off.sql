/* ---
title = "Written off"
description = "Debts the owner gave up on in the period, per customer: what was written off and from how many sales (write-offs reversed since are left out: the customer owes that again). Written off is never counted as collected."
topic = "Debts"
columns = ["customer", "phone", "written_off", "sales", "last_written_off"]
money = ["written_off"]
chart = { type = "bar", x = "customer", y = "written_off" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT c.name AS customer, c.phone, SUM(w.amount) AS written_off, COUNT(*) AS sales,
       DATE(MAX(w.written_at)) AS last_written_off
  FROM write_offs w
  JOIN debts d ON d.shop_id = %(shop_id)s AND d.id = w.debt_id
  JOIN customers c ON c.shop_id = %(shop_id)s AND c.id = d.customer_id
 WHERE w.shop_id = %(shop_id)s AND w.reversed_at IS NULL
   AND w.written_at >= %(period_start)s AND w.written_at < %(period_end)s + INTERVAL 1 DAY
 GROUP BY c.id, c.name, c.phone
 ORDER BY written_off DESC, c.name, c.id
