"""Write an nginx configuration from deploy/nginx.conf.template.

    python deploy/render_nginx.py --upstream 127.0.0.1:8001 --upstream 127.0.0.1:8002 \
        --https-listen 443 --http-listen 80 --server-name zc.example.gov.cn \
        --tls-cert /etc/ssl/zc.pem --tls-key /etc/ssl/zc.key \
        --static-root /srv/zhicheng/staticfiles --run-dir /run/zhicheng-nginx > /etc/nginx/zhicheng.conf
    nginx -c /etc/nginx/zhicheng.conf
"""

from __future__ import annotations

import argparse
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf.template")


def render(
    *,
    upstreams: list[str],
    https_listen: str,
    http_listen: str,
    server_name: str,
    tls_cert: str,
    tls_key: str,
    static_root: str,
    run_dir: str,
) -> str:
    port = https_listen.rsplit(":", 1)[-1]
    values = {
        "UPSTREAM_SERVERS": "\n".join(
            f"        server {address} max_fails=1 fail_timeout=10s;" for address in upstreams
        ),
        "HTTPS_LISTEN": https_listen,
        "HTTP_LISTEN": http_listen,
        "HTTPS_PORT_SUFFIX": "" if port == "443" else f":{port}",
        "SERVER_NAME": server_name,
        "TLS_CERT": tls_cert,
        "TLS_KEY": tls_key,
        "STATIC_ROOT": static_root.rstrip("/"),
        "RUN_DIR": run_dir,
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    if "@@" in text:
        raise ValueError("a placeholder is left in the template")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", action="append", required=True)
    parser.add_argument("--https-listen", default="443")
    parser.add_argument("--http-listen", default="80")
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--tls-cert", required=True)
    parser.add_argument("--tls-key", required=True)
    parser.add_argument("--static-root", required=True)
    parser.add_argument("--run-dir", default="/run/zhicheng-nginx")
    args = parser.parse_args()
    print(
        render(
            upstreams=args.upstream,
            https_listen=args.https_listen,
            http_listen=args.http_listen,
            server_name=args.server_name,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            static_root=args.static_root,
            run_dir=args.run_dir,
        )
    )


if __name__ == "__main__":
    main()
