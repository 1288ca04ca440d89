/* ---
title = "GET_LOCK"
description = "A named lock held across connections."
topic = "Crafted"
columns = ["customer"]
why = "GET_LOCK"
leaks = false
--- */
SELECT c.name AS customer FROM customers c WHERE c.shop_id = %(shop_id)s AND GET_LOCK('daftari', 10)
