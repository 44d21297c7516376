"""The wire contract between the SupportMail backend and the status page.

Python mirror of the backend's TypeScript types (``ShardStatusData``, ``ClusterStatus``);
``cluster-status.schema.json`` beside this file is the same contract as JSON Schema.

    from shared_types import parse_status_payload
    parsed = parse_status_payload(ack)          # untrusted JSON from the socket
    for cluster in parsed.clusters: ...         # validated ClusterStatus objects
    for problem in parsed.problems: ...         # what was skipped, and why
    if parsed.error: ...                        # {success: false, error} or a bad shape
"""

from .models import CLUSTER_LIFECYCLE, ClusterStatus, ShardStatusData
from .parse import ParsedStatus, parse_status_payload

__all__ = [
    "CLUSTER_LIFECYCLE",
    "ClusterStatus",
    "ParsedStatus",
    "ShardStatusData",
    "parse_status_payload",
]
