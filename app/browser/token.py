"""Fetch the short-lived Socket.IO token: ``GET <api><token path>`` -> ``{"token": ...}``."""

from __future__ import annotations

from pyodide.http import pyfetch


async def fetch_token(url: str) -> str:
    response = await pyfetch(url, method="GET", cache="no-store", credentials="omit")
    if not response.ok:
        raise ConnectionError(f"token endpoint answered {response.status}")
    body = await response.json()
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise ValueError("token endpoint sent no token")
    return token
