/* ---
title = "RIGHT JOIN"
description = "The scope sits in the ON of a RIGHT JOIN, which keeps every row of o."
topic = "Crafted"
columns = ["customer"]
why = "RIGHT"
leaks = true
--- */
SELECT o.name AS customer FROM customers c RIGHT JOIN customers o ON o.id = c.id AND c.shop_id = %(shop_id)s
