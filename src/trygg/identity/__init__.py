"""Identity: PINs, log-in, sessions, staff users; later tokens, BankID, step-up and signing."""
