/* ---
title = "A second statement"
description = "The connector runs both; the second is unscoped."
topic = "Crafted"
columns = ["customer"]
why = "more than one statement"
leaks = false
--- */
SELECT c.name AS customer FROM customers c WHERE c.shop_id = %(shop_id)s;
SELECT name FROM customers
