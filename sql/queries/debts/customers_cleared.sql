/* ---
title = "Customers who cleared their debt"
description = "Customers who owe nothing now and whose last payment (voided ones left out) fell in the period, with what they paid in the period. A customer with a sale written off (and not reversed) did not clear their debt: left out."
topic = "Debts"
columns = ["customer", "phone", "last_payment", "paid_in_period"]
money = ["paid_in_period"]
chart = { type = "table" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT c.name AS customer, c.phone, MAX(p.paid_at) AS last_payment,
       SUM(IF(p.paid_at BETWEEN %(period_start)s AND %(period_end)s, p.amount, 0)) AS paid_in_period
  FROM customers c
  JOIN debts d ON d.shop_id = %(shop_id)s AND d.customer_id = c.id AND d.voided_at IS NULL
  JOIN payments p ON p.shop_id = %(shop_id)s AND p.debt_id = d.id AND p.voided_at IS NULL
 WHERE c.shop_id = %(shop_id)s
   AND NOT EXISTS (SELECT 1 FROM active_debtors a WHERE a.shop_id = %(shop_id)s AND a.customer_id = c.id)
   AND NOT EXISTS (SELECT 1 FROM debts w
                    WHERE w.shop_id = %(shop_id)s AND w.customer_id = c.id AND w.voided_at IS NULL AND w.written_off > 0)
 GROUP BY c.id, c.name, c.phone
HAVING last_payment BETWEEN %(period_start)s AND %(period_end)s
 ORDER BY last_payment DESC, c.name
