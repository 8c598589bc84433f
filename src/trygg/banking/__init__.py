"""Banking: accounts and a double-entry ledger, transfers, payees, payments."""
