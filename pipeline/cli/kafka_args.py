"""Kafka connection flags shared by `newsbeam produce` and `newsbeam read`.

The same settings as the job's `--kafka_*` options (KafkaOptions), spelled CLI-style.
The SASL password is never a flag: it comes from NEWSBEAM_KAFKA_SASL_PASSWORD or
--sasl-password-file, read when the client connects, and is never printed.
"""

from __future__ import annotations

import argparse
import os

from connectors.kafka.config import (
    DEFAULT_BOOTSTRAP,
    PASSWORD_ENV,
    SASL_MECHANISMS,
    SECURITY_PROTOCOLS,
)


def default_bootstrap() -> str:
    return os.environ.get("NEWSBEAM_KAFKA_BOOTSTRAP", DEFAULT_BOOTSTRAP)


def add_kafka_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("Kafka connection")
    group.add_argument("--bootstrap", default=default_bootstrap(),
                       help="host:port[,host:port] (default %(default)s; "
                            "env NEWSBEAM_KAFKA_BOOTSTRAP)")
    group.add_argument("--security-protocol", default="PLAINTEXT", choices=SECURITY_PROTOCOLS)
    group.add_argument("--sasl-mechanism", default=None, choices=SASL_MECHANISMS)
    group.add_argument("--sasl-username", default=None)
    group.add_argument("--sasl-password-file", default=None,
                       help=f"file holding the SASL password (else env {PASSWORD_ENV})")
    group.add_argument("--ssl-cafile", default=None, help="CA bundle to verify the brokers")
    group.add_argument("--ssl-certfile", default=None, help="client certificate (mutual TLS)")
    group.add_argument("--ssl-keyfile", default=None, help="client key (mutual TLS)")


def kafka_config(args: argparse.Namespace):
    """KafkaConfig from the parsed flags; raises ValueError on an inconsistent set."""
    from connectors.kafka.config import KafkaConfig

    return KafkaConfig(
        bootstrap_servers=args.bootstrap,
        security_protocol=args.security_protocol,
        sasl_mechanism=args.sasl_mechanism,
        sasl_username=args.sasl_username,
        sasl_password_file=args.sasl_password_file,
        ssl_cafile=args.ssl_cafile,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
    )
