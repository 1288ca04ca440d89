/* ---
title = "Debt ageing"
description = "What was owed on a chosen day, by the age of the sale that day: each sale's total less its payments dated on or before the day (voided sales and payments left out). Every age bucket is shown, empty ones as 0. The dashboard's 'Age of unpaid sales' is this question for today."
topic = "Debts"
columns = ["bucket", "owed", "sales"]
money = ["owed"]
chart = { type = "bar", x = "bucket", y = "owed" }

[[params]]
name = "on_day"
type = "date"
label = "On"
default = "today"
--- */
WITH buckets (ord, bucket) AS (
       SELECT 1, '0–30 days' UNION ALL SELECT 2, '31–60 days' UNION ALL SELECT 3, '61–90 days'
       UNION ALL SELECT 4, 'over 90 days'),
     open_sales AS (
       SELECT d.total - COALESCE(p.paid, 0) AS owed, DATEDIFF(%(on_day)s, d.debt_date) AS age
         FROM debts d
         LEFT JOIN (SELECT pp.debt_id, SUM(pp.amount) AS paid
                      FROM payments pp
                     WHERE pp.shop_id = %(shop_id)s AND pp.voided_at IS NULL AND pp.paid_at <= %(on_day)s
                     GROUP BY pp.debt_id) AS p ON p.debt_id = d.id
        WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.debt_date <= %(on_day)s
          AND d.total > COALESCE(p.paid, 0))
SELECT b.bucket, COALESCE(SUM(o.owed), 0) AS owed, COUNT(o.owed) AS sales
  FROM buckets b
  LEFT JOIN open_sales o
    ON b.ord = CASE WHEN o.age <= 30 THEN 1 WHEN o.age <= 60 THEN 2 WHEN o.age <= 90 THEN 3 ELSE 4 END
 GROUP BY b.ord, b.bucket
 ORDER BY b.ord
