/* ---
title = "Every member of every shop"
description = "Reads shop_members without any scope; the placeholder is only a column."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = false
--- */
SELECT m.shop_id, m.user_id, m.role, %(shop_id)s AS mine FROM shop_members m
