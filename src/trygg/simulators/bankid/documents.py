"""The ``signature`` and ``ocspResponse`` of a completed simulated order.

Real BankID returns, base64-encoded, an XML-DSig signature (``bankIdSignedData``, signed with the
user's BankID key and carrying the user's certificate chain) and a DER-encoded OCSP response
from BankID's OCSP responder. The simulator has neither keys nor certificates, so:

* :func:`signature_xml` builds an XML document shaped after BankID's (root ``bankIdSignedData``
  with ``usrVisibleData`` and ``usrNonVisibleData`` as base64, and the order's details) with a
  ``simulatedSignature`` element holding a SHA-256 digest of the signed data and an
  HMAC-SHA256 over the digest with the simulator's own key. **It is not an XML-DSig and proves
  nothing outside this simulator**; it exists so that the relying party can store it, and tests
  can check that the signed text is the text that was shown.
* :func:`ocsp_statement` builds a short UTF-8 text (not DER, not an OCSP response) stating that
  the simulated certificate was good at the time of signing, with an HMAC over the statement.

The digest is ``SHA-256(visible || 0x00 || non_visible || 0x00 || orderRef || 0x00 ||
personalNumber)`` over the decoded bytes of ``userVisibleData`` and ``userNonVisibleData`` (empty
when absent) and the UTF-8 of the two strings, written as lower-case hex.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import xml.etree.ElementTree as ET
from typing import Final

__all__ = ["SIGNATURE_NAMESPACE", "ocsp_statement", "signature_digest", "signature_xml"]

SIGNATURE_NAMESPACE: Final = "http://www.bankid.com/signature/v1.0.0/types"


def signature_digest(
    visible: bytes, non_visible: bytes, order_ref: str, personal_number: str
) -> str:
    """The digest written in the simulated signature (see the module docstring)."""
    data = b"\x00".join(
        (visible, non_visible, order_ref.encode("utf-8"), personal_number.encode("utf-8"))
    )
    return hashlib.sha256(data).hexdigest()


def signature_xml(
    *,
    key: bytes,
    kind: str,
    order_ref: str,
    personal_number: str,
    name: str,
    user_visible_data: str | None,
    user_visible_data_format: str | None,
    user_non_visible_data: str | None,
    end_user_ip: str | None,
    signed_at: dt.datetime,
) -> bytes:
    """The UTF-8 XML document returned (base64-encoded) as ``signature``."""
    visible = base64.b64decode(user_visible_data) if user_visible_data else b""
    non_visible = base64.b64decode(user_non_visible_data) if user_non_visible_data else b""
    digest = signature_digest(visible, non_visible, order_ref, personal_number)

    ET.register_namespace("", SIGNATURE_NAMESPACE)

    def tag(local: str) -> str:
        return f"{{{SIGNATURE_NAMESPACE}}}{local}"

    root = ET.Element(tag("bankIdSignedData"), {"Id": "bidSignedData", "simulated": "true"})
    if user_visible_data:
        element = ET.SubElement(root, tag("usrVisibleData"), {"charset": "UTF-8"})
        if user_visible_data_format:
            element.set("format", user_visible_data_format)
        element.text = user_visible_data
    if user_non_visible_data:
        ET.SubElement(root, tag("usrNonVisibleData")).text = user_non_visible_data
    info = ET.SubElement(root, tag("srvInfo"))
    ET.SubElement(info, tag("name")).text = "Trygg BankID simulator"
    ET.SubElement(info, tag("orderRef")).text = order_ref
    ET.SubElement(info, tag("kind")).text = kind
    ET.SubElement(info, tag("signedAt")).text = signed_at.isoformat(timespec="seconds")
    if end_user_ip:
        ET.SubElement(info, tag("endUserIp")).text = end_user_ip
    subject = ET.SubElement(root, tag("subject"))
    ET.SubElement(subject, tag("personalNumber")).text = personal_number
    ET.SubElement(subject, tag("name")).text = name
    simulated = ET.SubElement(root, tag("simulatedSignature"))
    ET.SubElement(simulated, tag("digestMethod")).text = "sha256"
    ET.SubElement(simulated, tag("digestValue")).text = digest
    ET.SubElement(simulated, tag("signatureMethod")).text = "hmac-sha256"
    ET.SubElement(simulated, tag("signatureValue")).text = hmac.new(
        key, digest.encode("ascii"), hashlib.sha256
    ).hexdigest()
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def ocsp_statement(
    *, key: bytes, order_ref: str, personal_number: str, produced_at: dt.datetime
) -> bytes:
    """The UTF-8 text returned (base64-encoded) as ``ocspResponse``."""
    serial = hashlib.sha256(f"cert:{personal_number}".encode()).hexdigest()[:16]
    statement = (
        "Trygg BankID simulator certificate status statement (not an OCSP response)\n"
        f"certificateSerial={serial}\n"
        "certStatus=good\n"
        f"orderRef={order_ref}\n"
        f"producedAt={produced_at.isoformat(timespec='seconds')}\n"
    )
    mac = hmac.new(key, statement.encode("utf-8"), hashlib.sha256).hexdigest()
    return (statement + f"hmacSha256={mac}\n").encode("utf-8")
