#!/usr/bin/env python3
"""Writes an nginx.conf for the deployment test from the nginx blocks of docs/DEPLOYMENT.md, changed only where a
test must: its ports, its certificate, its upstream nodes and its own pid, log and temp paths.

    nginx_from_docs.py DOCS WORK HTTPS_PORT HTTP_PORT NODE_A NODE_B  (the nodes as host:port)

The guide's first block (the TLS server and the redirect from port 80) and its second (the upstream of two nodes)
are used as written; a block that no longer has what this replaces is an error, so the guide and the test cannot
drift apart silently.
"""

import re
import sys
from pathlib import Path


def blocks(guide: str) -> list[str]:
    return re.findall(r"```nginx\n(.*?)```", guide, re.DOTALL)


def replace(text: str, old: str, new: str, what: str) -> str:
    if old not in text:
        raise SystemExit(f"docs/DEPLOYMENT.md: the nginx example no longer has {what} ({old!r})")
    return text.replace(old, new)


def main(argv: list[str]) -> int:
    docs, work, https, http, node_a, node_b = argv[1:7]
    found = blocks(Path(docs).read_text())
    if len(found) < 2:
        raise SystemExit("docs/DEPLOYMENT.md: expected two nginx examples (one node, then two nodes)")
    server, upstream = found[0], found[1]
    server = replace(server, "listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;", "the TLS listener")
    server = replace(server, "listen 80;", f"listen 127.0.0.1:{http};", "the port-80 redirect")
    server = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {work}/cert.pem;", server)
    server = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {work}/key.pem;", server)
    # The two-node example: its upstream as written, with the test's nodes; the server's proxy_pass pointed at it.
    upstream = replace(upstream, "server 10.0.0.11:8080", f"server {node_a}", "the first node")
    upstream = replace(upstream, "server 10.0.0.12:8080", f"server {node_b}", "the second node")
    upstream = upstream.split("# …")[0]
    server = replace(server, "proxy_pass http://127.0.0.1:8080;", "proxy_pass http://shpalta;", "the proxy_pass")
    # The redirect keeps the client's host and adds no port: the test's HTTPS port is not 443.
    conf = f"""daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    access_log {work}/nginx-access.log;
    client_body_temp_path {work}/tmp-body;
    proxy_temp_path {work}/tmp-proxy;
    fastcgi_temp_path {work}/tmp-fastcgi;
    uwsgi_temp_path {work}/tmp-uwsgi;
    scgi_temp_path {work}/tmp-scgi;
{upstream}
{server}
}}
"""
    Path(work, "nginx.conf").write_text(conf)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
