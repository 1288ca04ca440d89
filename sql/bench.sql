-- The benchmarks' own checks (bench/).

-- name: bench_debt_total
-- Everything sold on credit in one shop (the concurrency benchmark's check).
SELECT COALESCE(SUM(total), 0) AS amount FROM debts WHERE shop_id = %(shop_id)s AND voided_at IS NULL;

-- name: bench_payment_total
-- Everything paid in one shop (the concurrency benchmark's check).
SELECT COALESCE(SUM(amount), 0) AS amount FROM payments WHERE shop_id = %(shop_id)s AND voided_at IS NULL;
