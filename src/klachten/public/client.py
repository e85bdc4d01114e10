"""The client's address for the rate limit of the public form, and its keyed hash.

Behind a reverse proxy ``REMOTE_ADDR`` is the proxy's address; ``KLACHTEN_PROXY_COUNT`` says
how many proxies in front of the application append to ``X-Forwarded-For``, so the client's
own address is the entry that many places from its end. Entries a client wrote itself, further
left, are never trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as far as the configured proxies tell it."""
    proxies = int(getattr(settings, "PROXY_COUNT", 0))
    address = request.META.get("REMOTE_ADDR", "") or ""
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return address


def address_key(address: str, purpose: str = "rate-limit") -> str:
    """A keyed hash of the address: IPv6 by its /64 network (one household or office holds a
    whole /64), IPv4 as it is. Nothing in the database can be turned back into an address.
    Each ``purpose`` (reports sent, status codes tried) gets keys of its own, so its marks
    count apart."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        network = address or "unknown"
    else:
        if isinstance(parsed, ipaddress.IPv6Address):
            mapped = parsed.ipv4_mapped
            network = (
                str(mapped)
                if mapped is not None
                else str(ipaddress.ip_network(f"{parsed}/64", strict=False))
            )
        else:
            network = str(parsed)
    return salted_hmac(f"klachten.public.{purpose}", network).hexdigest()
