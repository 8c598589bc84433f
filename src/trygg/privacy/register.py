"""The register of processing activities (GDPR Art. 30), as data: one record per processing of
the domain page (seeds 001-003) and of the apps, with purpose, legal basis, categories of data
and of data subjects, retention and its rules, controllers (joint, Art. 26; per site or per kind
of matter where the seed says so), processors, recipients and third-country transfers with their
safeguards. Staff read it in the back office, the supervisory authority gets it as CSV, JSON or
PDF (``trygg privacy register``), customers read it as the privacy notice.

Texts are English and translated; company names and addresses are the seeds' own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trygg.kernel.datamap import Category
from trygg.kernel.datamap import Processing as P
from trygg.privacy import rules
from trygg.privacy.discovery import personal_data_modules

Text = str | Promise


# What a retention period is counted from, in the staff member's language (the pure rules in
# ``privacy.rules`` word it in English).
COUNTED_FROM: dict[str, Promise] = {
    "the answer": _("the answer"),
    "the backup was taken": _("the backup was taken"),
    "the case was closed": _("the case was closed"),
    "the day of the visit": _("the day of the visit"),
    "the day of the visit (Tegeluddsvägen)": _("the day of the visit (Tegeluddsvägen)"),
    "the decision": _("the decision"),
    "the end of the calendar year of the record": _("the end of the calendar year of the record"),
    "the event": _("the event"),
    "the image was recorded": _("the image was recorded"),
    "the image was recorded (Tegeluddsvägen)": _("the image was recorded (Tegeluddsvägen)"),
    "the interaction": _("the interaction"),
    "the notice was written": _("the notice was written"),
    "the request was blocked": _("the request was blocked"),
    "the test ended": _("the test ended"),
    "the ticket was closed": _("the ticket was closed"),
}


def counted_from_text(counted_from: str) -> str:
    return str(COUNTED_FROM.get(counted_from, counted_from))


@dataclass(frozen=True)
class Controller:
    name: Text
    scope: Text = ""  # the site or kind of matter it answers for; empty: all of it


@dataclass(frozen=True)
class Transfer:
    country: Text
    safeguard: Text
    measures: Text


@dataclass(frozen=True)
class Recipient:
    """A recipient of a processing's data, and where a rectification is told to it (Art. 19):
    the e-mail of its data protection contact (``TRYGG_PRIVACY_NOTICE_ADDRESSES`` overrides it
    by ``key``). A category of recipients has no address, ``no_address`` saying why."""

    key: str
    name: Text
    address: str = ""
    no_address: Text = ""

    def __str__(self) -> str:
        return str(self.name)

    def notice_address(self) -> str:
        configured: dict[str, str] = getattr(settings, "TRYGG_PRIVACY_NOTICE_ADDRESSES", {})
        return str(configured.get(self.key, self.address)).strip()


A_CATEGORY = _("a category of recipients, not one recipient")


def one(key: str, name: Text, address: str) -> Recipient:
    return Recipient(key, name, address=address)


def category(key: str, name: Text) -> Recipient:
    return Recipient(key, name, no_address=A_CATEGORY)


@dataclass(frozen=True)
class Activity:
    code: P
    name: Text
    purpose: Text
    legal_basis: Text
    data: Text
    categories: tuple[Category, ...]
    subjects: Text
    retention: Text
    rules: tuple[str, ...]
    controllers: tuple[Controller, ...]
    joint: bool
    processors: tuple[Text, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    source: Text = ""
    direct_marketing: bool = False
    seed: str = ""

    def as_dict(self, on: dt.date | None = None) -> dict[str, Any]:
        """The record in plain values (the active language's texts). On a date, what an app
        keeps as data (the sites' controllers, processors and retention) replaces the text
        written here."""
        controllers = [{"name": str(c.name), "scope": str(c.scope)} for c in self.controllers]
        processors = [str(p) for p in self.processors]
        retention = str(self.retention)
        if on is not None:
            controllers = controllers_from_data(self.code, on) or controllers
            processors = _from_data("PROCESSORS", self.code, on) or processors
            retention = _from_data("RETENTIONS", self.code, on) or retention
        return {
            "code": str(self.code),
            "name": str(self.name),
            "purpose": str(self.purpose),
            "legal_basis": str(self.legal_basis),
            "data": str(self.data),
            "categories": [str(c) for c in self.categories],
            "special_categories": any(c.special for c in self.categories),
            "subjects": str(self.subjects),
            "retention": retention,
            "retention_rules": [
                {
                    "code": code,
                    "period": str(rules.RULES[code].period),
                    "counted_from": counted_from_text(rules.RULES[code].counted_from),
                    "action": str(rules.RULES[code].action),
                }
                for code in self.rules
            ],
            "controllers": controllers,
            "joint_controllers": self.joint,
            "processors": processors,
            "recipients": [str(r) for r in self.recipients],
            "transfers": [
                {
                    "country": str(t.country),
                    "safeguard": str(t.safeguard),
                    "measures": str(t.measures),
                }
                for t in self.transfers
            ],
            "source": str(self.source),
            "direct_marketing": self.direct_marketing,
            "seed": self.seed,
        }


GROUP: tuple[Controller, ...] = (
    Controller(_("All local Länsförsäkringar companies")),
    Controller("Länsförsäkringar AB"),
    Controller("Länsförsäkringar Bank AB"),
    Controller("Länsförsäkringar Fondförvaltning AB"),
    Controller("Länsförsäkringar Hypotek AB"),
    Controller("Länsförsäkringar Fondliv Försäkrings AB"),
    Controller("Länsförsäkringar Grupplivförsäkrings AB"),
    Controller("Länsförsäkringar Liv Försäkrings AB"),
)
INSURER = (Controller("Länsförsäkringar Sak Försäkringsaktiebolag (publ)"),)
BANK = (Controller("Länsförsäkringar Bank AB (publ)"),)
STOCKHOLM = "Länsförsäkringar Stockholm"
LF_AB = "Länsförsäkringar AB"
STOCKHOLM_SITES = (
    "Telegrafgatan 8A, Solna; Humlegårdsgatan 20, Stockholm; Stora Brogatan 7, Norrtälje"
)
TEGELUDDSVAGEN = "Tegeluddsvägen 11-13, Stockholm"

LEGITIMATE = _("Legitimate interest (Art. 6(1)(f))")
CONTRACT = _("Contract (Art. 6(1)(b))")
LEGAL_OBLIGATION = _("Legal obligation (Art. 6(1)(c))")
INDIA = Transfer(
    country=_("India"),
    safeguard=_("Standard contractual clauses (Art. 46(2)(c))"),
    measures=_(
        "Access only from devices we have configured, encrypted over a VPN with multi-factor "
        "authentication (a one-time code generated on another device)."
    ),
)
IT_CONSULTANCIES = _("IT consultancies (administration, development, testing and support)")
# The recipients. Fictitious addresses for the demo; production sets the real ones in
# ``TRYGG_PRIVACY_NOTICE_ADDRESSES`` (decision 0099).
POLICE = category("police", _("Law-enforcement authorities on suspected crime"))
GROUP_COMPANIES = category("lf-group", _("Companies of the Länsförsäkringar group"))
PAYEES_BANKS = category("payees-banks", _("Payees' banks, Bankgirot"))
PARTNERS = category("partners", _("Partners we work with (reinsurers, claims partners)"))
MEDICAL = category("medical-advisers", _("Medical advisers and claims partners"))
BANKGIROT = one("bankgirot", _("Bankgirocentralen BGC AB"), "dataskydd@bankgirot.example.org")
PAYERS_PSP = category("payers-psp", _("The payer's payment service provider"))
OUR_PSP = one(
    "lf-psp",
    _("Länsförsäkringar's payment service provider"),
    "dataskydd@betaltjanst.example.org",
)
AUDITORS = category("auditors-tax-agency", _("Auditors, the Swedish Tax Agency"))
CLAIMS_PARTNERS = category("claims-partners", _("Partners in the claims process"))
IT_ATTACK_AUTHORITIES = category(
    "it-attack-authorities", _("Law-enforcement authorities investigating suspected IT attacks")
)
VISIT_HOST = category("visit-host", _("The host, who is told of the arrival"))
RESCUE = category("rescue-service", _("The rescue service at an incident"))
VISIT_AUTHORITIES = category(
    "visit-authorities",
    _("Authorities at a police report, preliminary investigation or supervision"),
)
COACH = category("employee-coach", _("The employee and their coach (random files)"))
ISSUERS = category("issuers", _("Card, phone and document issuers"))
CUSTOMERS = _("Customers and their representatives")
VISITORS_AND_CALLERS = _("Visitors, callers and anyone in contact with us")

REGISTER: tuple[Activity, ...] = (
    Activity(
        code=P.CUSTOMER,
        name=_("Customer register and contact details"),
        purpose=_(
            "To know who our customers are, reach them, give good service and meet the "
            "requirements on our business."
        ),
        legal_basis=CONTRACT,
        data=_(
            "Name, personal or organisation identity number, birth date, customer number, "
            "addresses, phone numbers, e-mail, language, sole traders' firms."
        ),
        categories=(Category.IDENTITY, Category.CONTACT),
        subjects=_("Policyholders, insured persons, payers, account holders, sole traders"),
        retention=_("As long as the customer relationship and the contracts need."),
        rules=(),
        controllers=INSURER + BANK,
        joint=False,
        recipients=(GROUP_COMPANIES,),
        source=_("The customer; updates from the population register (SPAR)."),
        seed="001",
    ),
    Activity(
        code=P.LOGIN,
        name=_("Log-in, security tokens and electronic signatures"),
        purpose=_(
            "To identify customers in the internet and telephone service and to sign orders "
            "and agreements."
        ),
        legal_basis=CONTRACT,
        data=_(
            "PIN (as a salted hash), security tokens, BankID identifications, log-in history "
            "with IP address, signed orders and their evidence."
        ),
        categories=(Category.CREDENTIAL, Category.ONLINE, Category.IDENTITY),
        subjects=CUSTOMERS,
        retention=_(
            "Credentials as long as the customer uses the service; the log-in history 13 months."
        ),
        rules=("access-log",),
        controllers=INSURER + BANK,
        joint=False,
        processors=(_("Finansiell ID-Teknik BID AB (BankID)"),),
        source=_("The customer and the BankID service."),
        seed="000",
    ),
    Activity(
        code=P.BANKING,
        name=_("Accounts, payments and savings"),
        purpose=_(
            "To keep accounts, carry out payments and transfers, and trade in funds and shares."
        ),
        legal_basis=CONTRACT,
        data=_(
            "Accounts, balances, payments and their messages, payees, e-invoice and autogiro "
            "registrations, holdings and orders."
        ),
        categories=(Category.FINANCIAL,),
        subjects=CUSTOMERS,
        retention=_(
            "As long as the account agreement; bookkeeping records to the end of the seventh "
            "year after the year they belong to."
        ),
        rules=("bookkeeping",),
        controllers=BANK,
        joint=False,
        recipients=(PAYEES_BANKS,),
        source=_("The customer."),
        seed="000",
    ),
    Activity(
        code=P.APPLICATION,
        name=_("Insurance applications and policies"),
        purpose=_(
            "To assess applications, issue and administer policies, renew them and meet the "
            "requirements on our business; the application is archived whether or not it is "
            "granted."
        ),
        legal_basis=_(
            "Contract (Art. 6(1)(b)); for the health declaration, legal claims and insurance "
            "(Art. 9(2)(f), Insurance Business Act)"
        ),
        data=_(
            "Policyholder's and insured person's identity and contact data, health declaration, "
            "insured level, payment method, seller, underwriting decision."
        ),
        categories=(Category.IDENTITY, Category.CONTACT, Category.INSURANCE, Category.HEALTH),
        subjects=_("Policyholders, insured persons, co-insured, payers, beneficiaries, pledgees"),
        retention=_(
            "As long as the contract and claims need, then as the law requires; an application "
            "that did not become a policy is archived for 10 years from the decision."
        ),
        rules=("application-archive",),
        controllers=INSURER,
        joint=False,
        recipients=(GROUP_COMPANIES, PARTNERS),
        source=_("The applicant; for some insurances the employer or another party."),
        seed="001",
    ),
    Activity(
        code=P.CLAIMS,
        name=_("Claims handling and payouts"),
        purpose=_("To assess claims, calculate benefits and pay them out."),
        legal_basis=_("Contract (Art. 6(1)(b)); health data for legal claims (Art. 9(2)(f))"),
        data=_("Accident, injuries and their assessment, payout account, decisions."),
        categories=(Category.CLAIM, Category.HEALTH, Category.FINANCIAL),
        subjects=_("Insured persons, claimants, beneficiaries"),
        retention=_("As long as the claim and later legal claims need (10 years)."),
        rules=(),
        controllers=INSURER,
        joint=False,
        recipients=(MEDICAL,),
        source=_("The claimant, care providers, the policy."),
        seed="001",
    ),
    Activity(
        code=P.PREMIUM_BILLING,
        name=_("Premium billing"),
        purpose=_(
            "To plan, notify and collect premiums by invoice or autogiro, and handle non-payment."
        ),
        legal_basis=CONTRACT,
        data=_("Payer, premiums, due dates, notices, payments, reminders."),
        categories=(Category.FINANCIAL, Category.IDENTITY),
        subjects=_("Payers and policyholders"),
        retention=_(
            "As long as the contract; bookkeeping records to the end of the seventh year after "
            "the year they belong to."
        ),
        rules=(),
        controllers=INSURER,
        joint=False,
        recipients=(BANKGIROT,),
        source=_("The policy and the payer."),
        seed="001",
    ),
    Activity(
        code=P.AUTOGIRO,
        name=_("Autogiro mandate"),
        purpose=_("To administer payment by autogiro: the mandate, debits and their outcome."),
        legal_basis=_(
            "Contract (Art. 6(1)(b)), with the payer's consent to the processing by the banks "
            "and Bankgirot; withdrawing the consent ends the service."
        ),
        data=_("Payer's name and personal identity number, bank account, payer number."),
        categories=(Category.IDENTITY, Category.FINANCIAL),
        subjects=_("Payers (account holders)"),
        retention=_(
            "As long as the mandate, then as the Bookkeeping Act requires (to the end of the "
            "seventh year after the year)."
        ),
        rules=("bookkeeping",),
        controllers=(
            Controller("Länsförsäkringar Sak Försäkringsaktiebolag (publ)"),
            Controller(_("The payer's payment service provider")),
            Controller(_("Länsförsäkringar's payment service provider")),
        ),
        joint=True,
        recipients=(PAYERS_PSP, OUR_PSP, BANKGIROT),
        source=_("The payer."),
        seed="001",
    ),
    Activity(
        code=P.BOOKKEEPING,
        name=_("Bookkeeping"),
        purpose=_("To keep the accounting records the Bookkeeping Act requires."),
        legal_basis=LEGAL_OBLIGATION,
        data=_("Postings, payment files, invoices and notices with the payer's identity."),
        categories=(Category.FINANCIAL, Category.IDENTITY),
        subjects=_("Customers and payers"),
        retention=_(
            "To the end of the seventh year after the calendar year (Bokföringslagen 7:2)."
        ),
        rules=("bookkeeping",),
        controllers=INSURER + BANK,
        joint=False,
        recipients=(AUDITORS,),
        source=_("Our own records."),
        seed="001",
    ),
    Activity(
        code=P.STAFF,
        name=_("Staff users of the back office"),
        purpose=_("To give staff access to the back office and know who did what."),
        legal_basis=LEGITIMATE,
        data=_("User name, name, e-mail, password hash, authenticator devices, roles."),
        categories=(Category.EMPLOYEE, Category.CREDENTIAL),
        subjects=_("Employees and consultants"),
        retention=_("As long as the employment or assignment."),
        rules=(),
        controllers=INSURER,
        joint=False,
        source=_("The employer."),
    ),
    Activity(
        code=P.PRIVACY_RIGHTS,
        name=_("Data subject rights and legal holds"),
        purpose=_("To answer requests about personal data and keep data a legal claim needs."),
        legal_basis=LEGAL_OBLIGATION,
        data=_("Requests, legal holds (who, why, when), retention reports."),
        categories=(Category.ACTIVITY, Category.IDENTITY),
        subjects=CUSTOMERS,
        retention=_(
            "As long as the hold, then with the data it held. The text of a notice to a "
            "recipient (the corrected values) 30 days after it was written."
        ),
        rules=("notice-text",),
        controllers=INSURER,
        joint=False,
        source=_("The data subject; staff."),
        seed="001",
    ),
    Activity(
        code=P.IT_SUPPORT,
        name=_("IT troubleshooting and support tickets"),
        purpose=_(
            "To troubleshoot, give you and our staff technical support, and develop our IT systems."
        ),
        legal_basis=LEGITIMATE,
        data=_("A ticket with the problem and the personal data needed to solve it."),
        categories=(Category.IDENTITY, Category.CONTACT, Category.FREE_TEXT),
        subjects=_("Customers and staff with a technical problem"),
        retention=_("Up to 3 years after the ticket is closed."),
        rules=("ticket",),
        controllers=GROUP,
        joint=True,
        processors=(IT_CONSULTANCIES,),
        transfers=(INDIA,),
        source=_("The person and the systems concerned."),
        seed="002",
    ),
    Activity(
        code=P.TESTING,
        name=_("Testing and development of IT systems"),
        purpose=_(
            "To test changes to our IT systems; fictitious data first, real data only where "
            "that is not enough (for example load tests)."
        ),
        legal_basis=LEGITIMATE,
        data=_("Fictitious data; where needed, the real data the test concerns."),
        categories=(Category.IDENTITY, Category.CONTACT, Category.FINANCIAL),
        subjects=CUSTOMERS,
        retention=_("Real data is deleted from the test environment as soon as the test ends."),
        rules=("test-data",),
        controllers=GROUP,
        joint=True,
        processors=(IT_CONSULTANCIES,),
        transfers=(INDIA,),
        source=_("Our systems."),
        seed="002",
    ),
    Activity(
        code=P.PARTNER_TESTS,
        name=_("Integration tests with partners"),
        purpose=_(
            "To make sure services that work with partners' systems (for example claims "
            "partners) work."
        ),
        legal_basis=LEGITIMATE,
        data=_("The personal data the integration needs."),
        categories=(Category.IDENTITY, Category.CLAIM),
        subjects=CUSTOMERS,
        retention=_("Deleted from the test environment as soon as the test ends."),
        rules=("test-data",),
        controllers=GROUP,
        joint=True,
        recipients=(CLAIMS_PARTNERS,),
        source=_("Our systems."),
        seed="002",
    ),
    Activity(
        code=P.BACKUP,
        name=_("Security of IT systems and restore after incidents"),
        purpose=_("To protect our IT systems, investigate incidents and restore data when needed."),
        legal_basis=_(
            "Legitimate interest (Art. 6(1)(f)); EBA guidelines on ICT and security risk management"
        ),
        data=_("All data in our systems, in backups."),
        categories=tuple(Category),
        subjects=_("Everyone whose data our systems hold"),
        retention=_(
            "Backups are replaced continuously; old versions are deleted after at most 13 months."
        ),
        rules=("backup",),
        controllers=GROUP,
        joint=True,
        processors=(IT_CONSULTANCIES,),
        transfers=(INDIA,),
        source=_("Our systems."),
        seed="002",
    ),
    Activity(
        code=P.ACCESS_LOG,
        name=_("Access logging"),
        purpose=_(
            "To log when data is made available, registered, changed or deleted, to "
            "troubleshoot and investigate suspected security incidents."
        ),
        legal_basis=LEGITIMATE,
        data=_("Who read, registered, changed or deleted which data, when and from where."),
        categories=(Category.ACTIVITY, Category.ONLINE),
        subjects=_("Customers and staff"),
        retention=_("13 months."),
        rules=("access-log",),
        controllers=GROUP,
        joint=True,
        recipients=(IT_ATTACK_AUTHORITIES,),
        source=_("Our systems."),
        seed="002",
    ),
    Activity(
        code=P.INTRUSION,
        name=_("Protection against intrusion and overload"),
        purpose=_(
            "To protect our IT systems against intrusion, overload and other security risks."
        ),
        legal_basis=LEGITIMATE,
        data=_(
            "IP address and information about the device; checked against security vendors' "
            "lists of reported IP addresses."
        ),
        categories=(Category.ONLINE,),
        subjects=_("Everyone who sends a request to our systems"),
        retention=_(
            "Not stored normally; a blocked request up to 3 months; the lists of reported "
            "addresses are updated continuously and keep no history."
        ),
        rules=("blocked-request",),
        controllers=GROUP,
        joint=True,
        recipients=(IT_ATTACK_AUTHORITIES,),
        source=_("The request; security vendors' lists."),
        seed="002",
    ),
    Activity(
        code=P.CAMERA,
        name=_("Camera surveillance of our premises"),
        purpose=_(
            "To prevent, stop and prosecute crime (burglary, damage, threats) in our premises."
        ),
        legal_basis=_(
            "Legitimate interest (Art. 6(1)(f)); data on offences for legal claims (Art. 10)"
        ),
        data=_("Images of people in monitored areas; viewed only after an incident."),
        categories=(Category.IMAGE, Category.OFFENCE),
        subjects=_("Visitors and staff in monitored areas"),
        retention=_("14 days; at Tegeluddsvägen 11-13, 30 days."),
        rules=("camera", "camera-30"),
        controllers=(Controller(STOCKHOLM, STOCKHOLM_SITES), Controller(LF_AB, TEGELUDDSVAGEN)),
        joint=False,
        processors=(
            _("Security company (Länsförsäkringar Stockholm's sites)"),
            _("Camera vendor (Tegeluddsvägen)"),
        ),
        recipients=(POLICE,),
        source=_("The cameras."),
        seed="003",
    ),
    Activity(
        code=P.VISITORS,
        name=_("Visitor registration"),
        purpose=_(
            "To administer visits and parking and know for safety who is in our premises "
            "(evacuation, crime)."
        ),
        legal_basis=_(
            "Legitimate interest (Art. 6(1)(f)); legal obligation when authorities ask (Art. "
            "6(1)(c))"
        ),
        data=_(
            "Name, phone number, company, host; doors passed with a visitor card; at "
            "Tegeluddsvägen the car's registration number when parking."
        ),
        categories=(Category.IDENTITY, Category.CONTACT, Category.ACTIVITY),
        subjects=_("Visitors"),
        retention=_("1 day from the day of the visit; at Tegeluddsvägen 30 days."),
        rules=("visitor", "visitor-30"),
        controllers=(Controller(STOCKHOLM, STOCKHOLM_SITES), Controller(LF_AB, TEGELUDDSVAGEN)),
        joint=False,
        processors=(
            _("Provider of the visitor system"),
            _("Provider and maintainer of the access-card system (Tegeluddsvägen)"),
        ),
        recipients=(VISIT_HOST, RESCUE, VISIT_AUTHORITIES),
        source=_("The visitor."),
        seed="003",
    ),
    Activity(
        code=P.RECORDING_THREAT,
        name=_("Recording of interactions at a perceived threat"),
        purpose=_(
            "To protect us and our staff, report threats to the police and establish, exercise "
            "or defend legal claims."
        ),
        legal_basis=_(
            "Legitimate interest (Art. 6(1)(f)); data on offences for legal claims (Art. 10)"
        ),
        data=_(
            "Phone number, e-mail address or chat name; name and personal identity number if "
            "authenticated; the recording; time, channel, employee and type of matter."
        ),
        categories=(Category.CONTACT, Category.IDENTITY, Category.IMAGE, Category.OFFENCE),
        subjects=_("Callers and people in contact with us"),
        retention=_(
            "30 days; if a police report is made, as long as needed for legal claims (a legal "
            "hold)."
        ),
        rules=("recording-threat",),
        controllers=(Controller(STOCKHOLM),),
        joint=False,
        processors=(_("Provider of the recording system"),),
        recipients=(POLICE,),
        source=_("The interaction."),
        seed="003",
    ),
    Activity(
        code=P.RECORDING_QUALITY,
        name=_("Recording of interactions for quality and training"),
        purpose=_("To follow up and train our staff to improve our service."),
        legal_basis=LEGITIMATE,
        data=_(
            "Contact details, name and personal identity number if authenticated, the "
            "recording; time, channel, employee and type of matter. A recording is not kept "
            "if you say no."
        ),
        categories=(Category.CONTACT, Category.IDENTITY, Category.IMAGE),
        subjects=VISITORS_AND_CALLERS,
        retention=_("30 days."),
        rules=("recording-quality",),
        controllers=(
            Controller("Länsförsäkringar Bank AB (publ)", _("Matters about banking services")),
            Controller(STOCKHOLM, _("Other matters")),
        ),
        joint=False,
        processors=(_("Provider of the recording system"),),
        recipients=(COACH,),
        source=_("The interaction."),
        seed="003",
    ),
    Activity(
        code=P.SURVEY,
        name=_("Customer-satisfaction follow-up"),
        purpose=_(
            "To follow up how satisfied you are with how we handled a matter and call back "
            "very dissatisfied customers; this is direct marketing, which you may object to."
        ),
        legal_basis=LEGITIMATE,
        data=_(
            "Contact details, answers, a unique response id, the matter, the employee, the "
            "customer number; free-text comments."
        ),
        categories=(Category.CONTACT, Category.IDENTITY, Category.FREE_TEXT),
        subjects=_("Customers and others we have had a matter with"),
        retention=_("18 months; free-text comments beyond the standard questions 12 months."),
        rules=("survey", "survey-free-text"),
        controllers=(
            Controller(
                "Länsförsäkringar",
                _("The group company that asks for the feedback, named in the request"),
            ),
        ),
        joint=False,
        processors=(_("Survey provider (sends requests, collects answers, statistics)"),),
        source=_("The person answering."),
        direct_marketing=True,
        seed="003",
    ),
)

REGISTER += (
    Activity(
        code=P.PROTECTION,
        name=_("Card, phone and document protection service"),
        purpose=_(
            "To block lost payment cards, phones and identity documents at their issuers, "
            "report the blocking and help after identity theft."
        ),
        legal_basis=CONTRACT,
        data=_(
            "Registered cards (issuer, type, last four digits), phones (IMEI), identity "
            "documents; how the loss happened; the blocking report."
        ),
        categories=(Category.IDENTITY, Category.FINANCIAL, Category.FREE_TEXT),
        subjects=_("Customers of the protection service and their family members"),
        retention=_(
            "As long as the agreement; a blocking report 3 years after the case is closed."
        ),
        rules=("blocking-report",),
        controllers=(Controller(_("The protection-service provider")),),
        joint=False,
        recipients=(ISSUERS, POLICE),
        source=_("The customer."),
        seed="004",
    ),
)


def _from_data(attribute: str, code: P, on: dt.date) -> Any:
    """What an app's ``personal_data`` module keeps as data for a processing on a date (a
    ``PROCESSORS`` or ``RETENTIONS`` mapping: processing → function of the date)."""
    for _label, module in personal_data_modules():
        provider = getattr(module, attribute, {}).get(code)
        if provider is not None:
            found = provider(on)
            if found:
                return found
    return None


def controllers_from_data(code: P, on: dt.date) -> list[dict[str, str]]:
    """The controllers of a processing on a date from an app's data: a ``CONTROLLERS`` mapping
    in its ``personal_data`` module (processing: function of the date giving (name, scope))."""
    for _label, module in personal_data_modules():
        provider = getattr(module, "CONTROLLERS", {}).get(code)
        if provider is not None:
            found = provider(on)
            if found:
                return [{"name": name, "scope": scope} for name, scope in found]
    return []


BY_CODE = {activity.code: activity for activity in REGISTER}
RECIPIENTS = {r.key: r for activity in REGISTER for r in activity.recipients}


def activities() -> Sequence[Activity]:
    return REGISTER
