"""Claims: reports, benefit calculation, decisions and payouts."""
