/* ---
title = "LEFT JOIN … ON scope OR 1"
description = "The LEFT JOIN's scope is OR-ed with a true condition."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
SELECT c.name AS customer, o.name AS other FROM customers c
  LEFT JOIN customers o ON o.shop_id = %(shop_id)s OR 1
 WHERE c.shop_id = %(shop_id)s
