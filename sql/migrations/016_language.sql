-- Kiswahili and English (issue 14): each person's language, chosen on the login page or in the sidebar and kept
-- for their next visit. English until they choose.

ALTER TABLE users
  ADD COLUMN language CHAR(2) NOT NULL DEFAULT 'en' AFTER phone,
  ADD CONSTRAINT chk_users_language CHECK (language IN ('en', 'sw'));
