-- Demo accounts are marked, so a demo reset can tell them from real ones whatever their phone numbers.
ALTER TABLE users ADD COLUMN demo TINYINT(1) NOT NULL DEFAULT 0;
