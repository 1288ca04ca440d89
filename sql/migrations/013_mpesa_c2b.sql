-- M-Pesa payments that record themselves (Daraja C2B, issue 12).
--
--  * Every customer gets a short account number, unique in the shop (1001, 1002, …), which they type as the
--    "account" when paying the shop's Paybill. Existing customers are numbered here in the order they were
--    added; new ones get the next number in duka/customers.py (the shop's row is locked while it is chosen,
--    so two clerks adding customers at once never get the same one). No trigger: a column default cannot
--    read the shop's last number, and the code path is the one place customers are added.
--  * mpesa_settings: the shop's Paybill or Till number (shown in reminders) and the SHA-256 of the secret
--    that Safaricom's callback URLs carry. The secret itself is shown to the owner once and never stored.
--  * mpesa_c2b: every confirmation Safaricom sent, once per TransID (the unique key makes a replay, or two
--    deliveries at the same moment, record one payment). It is also the M-Pesa inbox: a payment that could
--    not be recorded waits there (state 'inbox') until the owner assigns it or notes it as an overpayment.

ALTER TABLE customers ADD COLUMN account_no INT UNSIGNED NULL AFTER phone;

UPDATE customers c
  JOIN (SELECT id, 1000 + ROW_NUMBER() OVER (PARTITION BY shop_id ORDER BY id) AS n FROM customers) numbered
    ON numbered.id = c.id
   SET c.account_no = numbered.n
 WHERE c.account_no IS NULL;

ALTER TABLE customers ADD UNIQUE KEY uq_customers_shop_account (shop_id, account_no);

CREATE TABLE IF NOT EXISTS mpesa_settings (
  shop_id       INT UNSIGNED NOT NULL PRIMARY KEY,
  short_code    VARCHAR(20) NULL,                   -- the Paybill or Till number customers pay to
  secret_hash   CHAR(64) NULL,                      -- hex SHA-256 of the callback URLs' secret; NULL: C2B off
  secret_set_at DATETIME NULL,
  secret_set_by INT UNSIGNED NULL,
  UNIQUE KEY uq_mpesa_settings_secret (secret_hash),
  CONSTRAINT fk_mpesa_settings_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS mpesa_c2b (
  id                   INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  shop_id              INT UNSIGNED NOT NULL,
  trans_id             VARCHAR(32) NOT NULL,        -- M-Pesa's receipt, e.g. RKTQDM7W6S
  trans_type           VARCHAR(40) NULL,
  trans_time           DATETIME NOT NULL,           -- TransTime, Nairobi time as Safaricom sends it
  amount               DECIMAL(12,2) NOT NULL,
  business_short_code  VARCHAR(20) NULL,
  bill_ref_number      VARCHAR(64) NULL,            -- what the payer typed as the account
  invoice_number       VARCHAR(64) NULL,
  org_account_balance  VARCHAR(32) NULL,
  third_party_trans_id VARCHAR(64) NULL,
  msisdn               VARCHAR(64) NULL,            -- a phone number, or its SHA-256: never used to match
  payer_name           VARCHAR(160) NULL,           -- FirstName MiddleName LastName
  state                ENUM('recorded','inbox','assigned','noted') NOT NULL,
  reason               VARCHAR(255) NULL,           -- why it waits in the inbox
  customer_id          INT UNSIGNED NULL,           -- paid (recorded, assigned) or matched but not paid (inbox)
  allocations          JSON NULL,                   -- [{"debt_id": …, "amount": "…"}]: the payments recorded
  note                 VARCHAR(255) NULL,           -- the owner's note on an overpayment
  received_at          DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  decided_at           DATETIME NULL,
  decided_by           INT UNSIGNED NULL,
  UNIQUE KEY uq_mpesa_c2b_trans (shop_id, trans_id),
  KEY ix_mpesa_c2b_state (shop_id, state, trans_time),
  CONSTRAINT fk_mpesa_c2b_shop FOREIGN KEY (shop_id) REFERENCES shops (id),
  CONSTRAINT fk_mpesa_c2b_customer FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id),
  CONSTRAINT chk_mpesa_c2b_amount CHECK (amount > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
