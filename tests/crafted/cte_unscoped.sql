/* ---
title = "Unscoped WITH query"
description = "The WITH query reads every shop's customers."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
WITH everyone AS (SELECT name FROM customers)
SELECT e.name AS customer FROM everyone e JOIN shops s ON s.id = %(shop_id)s
