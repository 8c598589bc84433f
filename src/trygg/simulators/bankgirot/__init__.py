"""A local Bankgirot for Autogiro: the file exchange of Swedish direct debit, offline.

It speaks the real file protocol through ``autogiro`` (new layout, 2016 and later) and
counts bank days with ``trygg.kernel.bankdays.calendar_for("SE")``; it imports nothing else of
trygg.

Use::

    from trygg.simulators.bankgirot import Bankgirot, serve_in_thread

    Bankgirot("var/bankgirot").process(until=date(2026, 6, 22))  # -> [Path, ...] written
    thread = serve_in_thread("var/bankgirot", 2.0)               # daemon; .stop() ends it

    python -m trygg.simulators.bankgirot --root var/bankgirot --until 2026-06-22
    python -m trygg.simulators.bankgirot --root var/bankgirot --watch [--interval 2]

Exchange directory
------------------
``to_bankgirot/``
    Files from trygg: TK01 opening, then any mix of TK03/TK04/TK05 mandates, TK82/TK32 payment
    orders and TK23-TK29 cancellations and date changes. Each file is handled once, keyed by the
    SHA-256 of its bytes (the same bytes under another name are ignored). Names starting with
    ``.`` or ending in ``.part``/``.tmp`` are skipped while being written. A file the library's
    ``validate`` finds fault with, or that is not a file to Bankgirot, is refused whole: nothing
    in it is registered, and a copy goes to ``to_bankgirot/refused/`` with
    ``<name>.errors.txt`` listing every error (line, column, field, rule).
``from_bankgirot/``
    Bankgirot's answers, one file per kind, payee bankgiro and bank day, named
    ``BFEP.IAGAG.K0<customer>.D<yymmdd>.T<hhmmss>.<KIND>`` with KIND ``BETSPEC`` (payment
    specification, ``BET. SPEC & STOPP TK``), ``MEDAVI`` (mandate notices, ``AG-MEDAVI``),
    ``AVVISADE`` (rejected payment orders, ``AVVISADE BET UPPDR``) or ``MAKANDR``
    (cancellation/amendment answers, ``MAKULERING/ÄNDRING``). A day's files are stamped 06:00:00,
    06:00:01 ... in import order (specification, notices, rejections, answers), so names sort by
    date and import order. Every file has a ``ReportOpening`` (content name, date, time, the
    customer number and bankgiro of the incoming opening record) and its closing record, and is
    checked by the library's writer.
``scenario.json``
    Optional outcomes, read on every run (below).
``state.json``
    The simulator's state: the last day done, files seen, mandates, pending orders and retries,
    answers not yet sent, attempts per payer, notes on what was ignored. Written atomically.

Time
----
A file's receipt date R is the date of its (first) opening record. Each call lives through the
days after the last day done up to ``until``. On a bank day D it first makes the payments due on
D and writes D's answers, then registers the files received on D. Answers to a file received on
R (mandate notices, rejected orders, cancellation answers) come on the next bank day after R. A
file dated on or before the last day done counts as received on that day; a file dated after
``until`` waits.

Mandates (AG-MEDAVI, TK73)
--------------------------
* TK04: information code 04; comment code 32 (created, valid from the answer day) unless the
  scenario names another code for the payer number, or 10 when the payer already has an active
  mandate. Account and personal number are echoed.
* TK03: information code 03 and comment code 33 (deleted); 04 if there is no such mandate. The
  payer's pending payments are cancelled and reported as TK03 answers (comment 12) in the
  cancellation/amendment file.
* TK05: information code 05; comment code 32 under the new payer number (its mandate and pending
  payments move with it), 04 if the old number has no mandate, 10 if the new one has.
* A closed account: the payment gets status 2, the bank deletes the mandate (information code
  46, comment code 02, on the same day) and the payer's pending payments are cancelled (TK03).
* TK04 ``AV`` (reject an Internet bank mandate) is noted and ignored.

Payment orders (TK82 debit, TK32 credit)
----------------------------------------
``GENAST`` is the next bank day after R. Period 0 is one payment; 1-4 monthly, quarterly,
half-yearly, yearly on the calendar day of the payment date; 5-8 the same intervals on the last
bank day of the month of the payment date and of every later period. ``repeats`` is the number of
payments; blank means until further notice (capped at 10 years). A payment date that is not a
bank day moves to the next bank day. Rejected (AVVISADE BET UPPDR, on the next bank day): 01 no
active mandate (02 when the bank deleted it for a closed account), 13 the payment date (moved to a
bank day) is before the next bank day after R, 12 more than 366 days after R, 24 above
``max_amount``.

Payment specification (BET. SPEC & STOPP TK)
--------------------------------------------
TK15 + TK82 for debits, TK16 + TK32 for credits, TK17 + TK77 for refunds; TK15/TK16 and TK09
count approved payments only. Status per attempt: 0 approved, 1 insufficient funds, 2 no mandate
or closed account, 9 renewed balance check: tried again on each of the next 3 bank days, each
attempt in that day's file, the last one ending 0 or 1.

Cancellations and date changes (MAKULERING/ÄNDRING)
---------------------------------------------------
TK23 (all of a payer's payments), TK24 (a payer's payments on a date) and TK25 (one payment:
date, amount, type and reference) answer each cancelled payment with its own code and comment 12;
TK28 and TK29 answer each moved payment with comment 14; TK26 and TK27 answer with one record
carrying the number of moved payments in positions 41-48. Self-renewing orders are not moved
(15); a new date before the next bank day is refused (06); nothing found gives 13 (also noted in
the state). A payment date matches either the date ordered or the bank day it moved to.

Scenario format
---------------
``scenario.json`` (every key optional)::

    {"payments": {"101": ["insufficient_funds", "approved"], "102": "renewed_balance_check"},
     "fail_suffixes": {"99": "insufficient_funds", "77": ["renewed_balance_check", "approved"]},
     "closed_accounts": ["103"],
     "mandates": {"104": "05"},
     "refunds": {"105": "03"},
     "max_amount": "100000.00"}

* ``payments``: outcomes of a payer's debit attempts in order, counted over all the payer's
  debits (renewed balance checks included); the last one repeats. Names: ``approved`` (0),
  ``insufficient_funds`` (1), ``closed_account`` (2), ``renewed_balance_check`` (9). Default
  approved.
* ``fail_suffixes``: the same, for every payer number ending in the suffix (the longest suffix
  wins) that is not listed under ``payments``.
* ``closed_accounts``: every debit or credit of these payers meets a closed account.
* ``mandates``: the comment code answering the payer's TK04, from
  ``autogiro.codes.MANDATE_COMMENT_CODES`` (e.g. 03 account type not allowed, 05 wrong
  account or personal data, 10 already exists, 20 wrong personal number); 32 creates it.
* ``refunds``: the payer claims back the first approved debit, refunded (TK77) on the next bank
  day with this reason code (01 no mandate, 02 mandate revoked, 03 unexpected amount).
* ``max_amount``: orders above it are rejected with 24 (default: no maximum).

Payer numbers may be written with or without leading zeros.
"""

from __future__ import annotations

from .engine import Bankgirot
from .scenario import OUTCOMES, Scenario, ScenarioError
from .state import State
from .watch import BankgirotThread, serve_in_thread, watch

__all__ = [
    "OUTCOMES",
    "Bankgirot",
    "BankgirotThread",
    "Scenario",
    "ScenarioError",
    "State",
    "serve_in_thread",
    "watch",
]
