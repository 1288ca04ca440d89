/* ---
title = "Credit given against collected"
description = "Per month of the period, what was sold on credit and what customers paid (voided sales and payments left out), a row for every month (0 when nothing happened)."
topic = "Debts"
columns = ["month", "credit_given", "collected"]
money = ["credit_given", "collected"]
chart = { type = "line", x = "month", y = ["credit_given", "collected"] }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
--- */
-- From the book's daily roll-up (migration 020): sales and payments that are not voided, summed per day.
WITH RECURSIVE months AS (
       SELECT CAST(%(period_start)s AS DATE) - INTERVAL (DAYOFMONTH(%(period_start)s) - 1) DAY AS month_start
       UNION ALL
       SELECT m.month_start + INTERVAL 1 MONTH FROM months m WHERE m.month_start + INTERVAL 1 MONTH <= %(period_end)s),
     book AS (
       SELECT b.book_day - INTERVAL (DAYOFMONTH(b.book_day) - 1) DAY AS month_start,
              SUM(b.credit_given) AS credit_given, SUM(b.collected) AS collected
         FROM book_days b
        WHERE b.shop_id = %(shop_id)s AND b.book_day BETWEEN %(period_start)s AND %(period_end)s
        GROUP BY 1)
SELECT DATE_FORMAT(m.month_start, '%Y-%m') AS month, COALESCE(b.credit_given, 0) AS credit_given,
       COALESCE(b.collected, 0) AS collected
  FROM months m
  LEFT JOIN book b ON b.month_start = m.month_start
 ORDER BY m.month_start
