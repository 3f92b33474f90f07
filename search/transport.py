"""An HTTP node that speaks plain `application/json` to the search server.

The elasticsearch 8 client labels every request
`application/vnd.elasticsearch+json; compatible-with=8` (and `+x-ndjson` for bulk).
Elasticsearch 8 accepts both that and plain `application/json`, but the in-memory
test server (osmem) answers 406 to the vendor type. Rewriting the headers in the
node, after the client has serialised the body, keeps everything else about the
client unchanged. Settings name this class in `ELASTICSEARCH_NODE_CLASS`.
"""

from __future__ import annotations

import re

from elastic_transport import HttpHeaders, Urllib3HttpNode
from elastic_transport.client_utils import DEFAULT, DefaultType

VENDOR_MIMETYPE = re.compile(
    r"application/vnd\.elasticsearch\+([\w.-]+)(?:\s*;\s*compatible-with=\d+)?", re.IGNORECASE
)


def plain_mimetype(value: str) -> str:
    """`application/vnd.elasticsearch+json; compatible-with=8` → `application/json`."""
    return VENDOR_MIMETYPE.sub(r"application/\1", value)


class PlainJsonHttpNode(Urllib3HttpNode):
    def perform_request(
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        headers: HttpHeaders | None = None,
        request_timeout: DefaultType | float | None = DEFAULT,
    ):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value:
                    headers[name] = plain_mimetype(value)
        return super().perform_request(
            method, target, body=body, headers=headers, request_timeout=request_timeout
        )
