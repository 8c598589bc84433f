"""Insurance's entries in the personal-data map (see ``trygg.kernel.datamap``). Products,
tariffs and questions hold no personal data; applications and policies do, the health
declaration among them (Art. 9)."""

from trygg.kernel.datamap import Category as C
from trygg.kernel.datamap import Keep, Purge, model_map
from trygg.kernel.datamap import Processing as P

I = C.INSURANCE  # noqa: E741
ID = C.IDENTITY
CT = C.CONTACT

MAP = (
    model_map("insurance.PriceBaseAmount", P.APPLICATION, {}, other=("year", "amount")),
    model_map("insurance.Product", P.APPLICATION, {}, other=("code", "name", "company_code")),
    model_map(
        "insurance.Tariff",
        P.APPLICATION,
        {},
        other=(
            "product",
            "version",
            "valid_from",
            "price_from_age",
            "limited_from_age",
            "limited_max_level",
            "surcharge_monthly",
            "surcharge_half_yearly",
            "acute_care_once",
            "hospital_per_day",
            "hospital_max_days",
            "costs_years",
            "clothes_cap_pbb",
            "death_pbb",
            "pain_from_age",
            "pain_bands",
            "scar_table",
        ),
    ),
    model_map(
        "insurance.TariffPrice", P.APPLICATION, {}, other=("tariff", "level", "annual_price")
    ),
    model_map(
        "insurance.HealthQuestion",
        P.APPLICATION,
        {},
        other=(
            "product",
            "code",
            "position",
            "text_sv",
            "text_nb",
            "text_en",
            "refers_on_yes",
            "detail_on_yes",
            "active",
        ),
    ),
    model_map(
        "insurance.Application",
        P.APPLICATION,
        {
            "number": I,
            "kind": I,
            "channel": I,
            "state": I,
            "policy": I,
            "policyholder": ID,
            "insured": ID,
            "holder_id_number": ID,
            "holder_given_name": ID,
            "holder_family_name": ID,
            "holder_street": CT,
            "holder_postal_code": CT,
            "holder_city": CT,
            "holder_phone_home": CT,
            "holder_phone_work": CT,
            "holder_mobile": CT,
            "holder_email": CT,
            "insured_id_number": ID,
            "insured_given_name": ID,
            "insured_family_name": ID,
            "insured_street": CT,
            "insured_postal_code": CT,
            "insured_city": CT,
            "insured_birth_date": ID,
            "level": I,
            "payment_method": I,
            "period": I,
            "autogiro_clearing": C.FINANCIAL,
            "autogiro_account": C.FINANCIAL,
            "autogiro_bank": C.FINANCIAL,
            "start_date": I,
            "replaces_other": I,
            "replaced_policy_number": I,
            "applied_on": I,
            "received_on": I,
            "signed_on": I,
            "health_signed_on": C.HEALTH,
            "signing_method": I,
            "privacy_notice_shown": I,
            "seller_name": (C.EMPLOYEE, P.STAFF),
            "seller_phone": (C.EMPLOYEE, P.STAFF),
            "seller_address": (C.EMPLOYEE, P.STAFF),
            "letter_via_seller": I,
            "annual_price": I,
            "missing": I,
            "referrals": C.HEALTH,
            "exclusion": C.HEALTH,
            "decline_reasons": C.HEALTH,
            "info_request": C.HEALTH,
            "proposed_by": (C.EMPLOYEE, P.STAFF),
            "decided_by": (C.EMPLOYEE, P.STAFF),
            "decided_at": I,
            "created_at": I,
        },
        other=("product", "signing_id", "seller_code", "company_code", "tariff"),
    ),
    model_map(
        "insurance.HealthAnswer",
        P.APPLICATION,
        {
            "application": I,
            "yes": C.HEALTH,
            "detail": C.HEALTH,
            "corrected": C.HEALTH,
            "correction_signed": C.HEALTH,
        },
        other=("question",),
    ),
    model_map(
        "insurance.ApplicationEvent",
        P.APPLICATION,
        {
            "application": I,
            "at": C.ACTIVITY,
            "actor": (C.EMPLOYEE, P.STAFF),
            "state_from": I,
            "state_to": I,
            "note": C.FREE_TEXT,
            "detail": C.ACTIVITY,
        },
    ),
    model_map(
        "insurance.Policy",
        P.APPLICATION,
        {
            "number": I,
            "policyholder": ID,
            "insured": ID,
            "level": I,
            "start_date": I,
            "renewal_date": I,
            "payment_method": I,
            "period": I,
            "exclusion": C.HEALTH,
            "state": I,
            "ended_on": I,
            "created_at": I,
        },
        other=("product",),
    ),
    model_map(
        "insurance.PolicyTerm",
        P.APPLICATION,
        {
            "policy": I,
            "starts_on": I,
            "ends_on": I,
            "base_amount": I,
            "annual_price": I,
            "year_total": I,
            "period": I,
        },
        other=("tariff", "pbb_year", "pbb"),
    ),
)

# An application that did not become a policy is archived (seed 001: whether or not it is
# granted) and kept 10 years from the decision, with its health declaration and history
# (decision 0032); a withdrawn one from when it came in.
RETENTION = (
    Purge(
        "application-archive",
        "insurance.Application",
        "decided_at",
        subjects=("policyholder", "insured"),
        when={"state": "declined", "policy__isnull": True},
    ),
    Purge(
        "application-archive",
        "insurance.Application",
        "created_at",
        subjects=("policyholder", "insured"),
        when={"state": "withdrawn", "policy__isnull": True},
    ),
)

# What an erasure request leaves (GDPR Art. 17(3)): a policy in force or an application still
# being decided is a contract the data is needed for; policies and accepted applications are
# kept as long as later claims need them.
_PENDING = ["received", "returned", "submitted", "referred", "info_requested", "decline_proposed"]
KEEP = (
    Keep("contract", "insurance.Policy", when={"state": "active"}),
    Keep("contract", "insurance.Application", when={"state__in": _PENDING}),
    Keep("insurance-archive", "insurance.Policy"),
    Keep("insurance-archive", "insurance.Application", when={"state": "accepted"}),
)
