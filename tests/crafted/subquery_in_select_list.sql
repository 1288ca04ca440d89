/* ---
title = "Unscoped subquery in the select list"
description = "The outer table is scoped, the subquery is not."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
SELECT c.name AS customer, (SELECT GROUP_CONCAT(o.name) FROM customers o) AS everyone
  FROM customers c WHERE c.shop_id = %(shop_id)s
