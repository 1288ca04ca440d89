/* ---
title = "A derived table with a made-up shop_id"
description = "The subquery's shop_id column is the parameter itself, not the table's."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
SELECT x.name AS customer FROM (SELECT name, %(shop_id)s AS shop_id FROM customers) AS x WHERE x.shop_id = %(shop_id)s
