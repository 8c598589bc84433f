"""Banking's entries in the personal-data map (see ``trygg.kernel.datamap``)."""

from trygg.kernel.datamap import Category as C
from trygg.kernel.datamap import Keep, model_map
from trygg.kernel.datamap import Processing as P

F = C.FINANCIAL

MAP = (
    model_map(
        "banking.Account",
        P.BANKING,
        {"party": C.IDENTITY, "number": F, "name": F, "balance": F, "opened_at": F},
        other=("kind", "currency"),
    ),
    model_map(
        "banking.LedgerTransaction",
        P.BOOKKEEPING,
        {"description": F, "initiated_by": C.IDENTITY, "booked_at": F},
        other=("kind", "idempotency_key", "request_hash"),
    ),
    model_map(
        "banking.Posting",
        P.BOOKKEEPING,
        {"account": F, "amount": F, "text": F},
        other=("transaction",),
    ),
    model_map(
        "banking.Payee",
        P.BANKING,
        {
            "party": C.IDENTITY,
            "name": F,
            "number": F,
            "reference": F,
            "created_at": C.ACTIVITY,
        },
        other=("kind", "signing_id"),
    ),
    model_map(
        "banking.Payment",
        P.BANKING,
        {
            "from_account": F,
            "payee": F,
            "destination_number": F,
            "receiver_name": F,
            "amount": F,
            "message": C.FREE_TEXT,
            "ocr": F,
            "execution_date": F,
            "state": F,
            "initiated_by": C.IDENTITY,
            "created_at": C.ACTIVITY,
        },
        other=("transaction", "destination_kind", "signing_id", "idempotency_key"),
    ),
    model_map(
        "banking.Holding",
        P.BANKING,
        {
            "party": C.IDENTITY,
            "name": F,
            "identifier": F,
            "units": F,
            "value": F,
            "valued_on": F,
        },
        other=("kind", "price"),
    ),
    model_map(
        "banking.Registration",
        P.BANKING,
        {
            "party": C.IDENTITY,
            "biller_name": F,
            "biller_bankgiro": F,
            "payer_reference": F,
            "account": F,
            "state": F,
            "created_at": C.ACTIVITY,
        },
        other=("kind", "signing_id"),
    ),
    model_map(
        "banking.TradeOrder",
        P.BANKING,
        {
            "party": C.IDENTITY,
            "account": F,
            "isin": F,
            "instrument": F,
            "side": F,
            "quantity": F,
            "limit_price": F,
            "state": F,
            "placed_at": F,
            "closed_at": F,
            "fill_price": F,
        },
        other=("signing_id",),
    ),
    # Market data: the instruments and their prices name nobody.
    model_map("banking.Instrument", P.BANKING, {}, other=("isin", "name", "kind", "currency")),
    model_map("banking.InstrumentPrice", P.BANKING, {}, other=("instrument", "on", "price")),
)


# An erasure request leaves the person's accounts: an account is a contract until it is closed.
KEEP = (Keep("contract", "banking.Account", when={"party__isnull": False}),)
