-- Covering indexes for the dashboard's questions, so each reads one index range and no table rows:
-- open balances by age and due date, credit given per month, money collected per day.
ALTER TABLE debts ADD INDEX ix_debts_shop_open (shop_id, voided_at, balance, debt_date, due_date);
ALTER TABLE debts ADD INDEX ix_debts_shop_credit (shop_id, voided_at, debt_date, total);
ALTER TABLE payments ADD INDEX ix_payments_shop_collected (shop_id, voided_at, paid_at, amount);
