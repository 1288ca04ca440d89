/* ---
title = "Unqualified shop_id of the outer table"
description = "shops has no shop_id column: inside the subquery shop_id is the outer c.shop_id, always equal."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
SELECT c.name AS customer, (SELECT GROUP_CONCAT(s.name) FROM shops s WHERE shop_id = %(shop_id)s) AS shops
  FROM customers c WHERE c.shop_id = %(shop_id)s
