/* ---
title = "A user variable"
description = "@x := … carries values between rows and statements."
topic = "Crafted"
columns = ["customer"]
why = "assignment"
leaks = false
--- */
SELECT c.name AS customer, @seen := c.id AS seen FROM customers c WHERE c.shop_id = %(shop_id)s
