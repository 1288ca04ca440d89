/* ---
title = "BENCHMARK"
description = "Burns the server's CPU."
topic = "Crafted"
columns = ["customer"]
why = "BENCHMARK"
leaks = false
--- */
SELECT BENCHMARK(100000000, SHA1('x')) AS burn FROM shops s WHERE s.id = %(shop_id)s
