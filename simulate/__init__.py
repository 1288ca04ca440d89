"""Demo data: a Kenyan duka's year of credit sales and payments, the same for the same seed."""
