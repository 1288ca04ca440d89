/* ---
title = "Scope on the wrong alias"
description = "c is scoped, but the names come from x, which is not."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
SELECT x.name AS customer FROM customers c JOIN customers x ON x.id > 0 WHERE c.shop_id = %(shop_id)s
