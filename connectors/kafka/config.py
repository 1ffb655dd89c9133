"""Kafka connection settings shared by ReadFromKafka, WriteToKafka, KafkaSink and the CLI.

Secrets never live in a pickled object: the SASL password is read from an environment
variable or a file when a client is created (on the worker), so it is never part of a
pipeline graph, a repr or a log line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_BOOTSTRAP = "127.0.0.1:9092"
PASSWORD_ENV = "NEWSBEAM_KAFKA_SASL_PASSWORD"
SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI")


def __getattr__(name: str):
    # KafkaOptions needs Beam; it lives in options.py so the CLI can skip importing Beam.
    if name == "KafkaOptions":
        from connectors.kafka.options import KafkaOptions

        return KafkaOptions
    raise AttributeError(name)


@dataclass(frozen=True)
class KafkaConfig:
    """Where the cluster is and how to authenticate; picklable and free of secrets."""

    bootstrap_servers: str = DEFAULT_BOOTSTRAP
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password_env: str = PASSWORD_ENV
    sasl_password_file: str | None = None
    ssl_cafile: str | None = None
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None
    client_id: str = "newsbeam"
    extra: dict = field(default_factory=dict, hash=False)  # more kafka-python client kwargs

    def __post_init__(self) -> None:
        if not self.bootstrap_servers or not all(
            ":" in s for s in self.bootstrap_servers.split(",")
        ):
            raise ValueError(f"bootstrap_servers must be host:port[,host:port]: "
                             f"{self.bootstrap_servers!r}")
        if self.security_protocol not in SECURITY_PROTOCOLS:
            raise ValueError(f"security_protocol must be one of {SECURITY_PROTOCOLS}")
        if self.security_protocol.startswith("SASL_"):
            if self.sasl_mechanism not in SASL_MECHANISMS:
                raise ValueError(f"{self.security_protocol} needs sasl_mechanism, one of "
                                 f"{SASL_MECHANISMS}")
            if self.sasl_mechanism in ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512") and (
                not self.sasl_username
            ):
                raise ValueError(f"SASL {self.sasl_mechanism} needs sasl_username")
        if any("password" in k for k in self.extra):
            raise ValueError("passwords come only from the environment or a file")

    def __repr__(self) -> str:
        password = (f"file:{self.sasl_password_file}" if self.sasl_password_file
                    else f"env:{self.sasl_password_env}")
        return (f"KafkaConfig(bootstrap_servers={self.bootstrap_servers!r}, "
                f"security_protocol={self.security_protocol!r}, "
                f"sasl_mechanism={self.sasl_mechanism!r}, sasl_username={self.sasl_username!r}, "
                f"sasl_password=<{password}, masked>)")

    __str__ = __repr__

    @classmethod
    def from_options(cls, options) -> KafkaConfig:
        """From Beam PipelineOptions (`--kafka_*`, see connectors/kafka/options.py)."""
        from connectors.kafka.options import KafkaOptions

        o = options.view_as(KafkaOptions)
        return cls(
            bootstrap_servers=o.kafka_bootstrap_servers,
            security_protocol=o.kafka_security_protocol,
            sasl_mechanism=o.kafka_sasl_mechanism,
            sasl_username=o.kafka_sasl_username,
            sasl_password_file=o.kafka_sasl_password_file,
            ssl_cafile=o.kafka_ssl_cafile,
            ssl_certfile=o.kafka_ssl_certfile,
            ssl_keyfile=o.kafka_ssl_keyfile,
        )

    def _password(self) -> str | None:
        if self.sasl_password_file:
            with open(self.sasl_password_file, encoding="utf-8") as fh:
                return fh.read().strip()
        return os.environ.get(self.sasl_password_env)

    def client_kwargs(self) -> dict:
        """kafka-python client kwargs; resolves the password now (call on the worker)."""
        kw: dict = {
            "bootstrap_servers": self.bootstrap_servers.split(","),
            "security_protocol": self.security_protocol,
            "client_id": self.client_id,
        }
        if self.security_protocol.startswith("SASL_"):
            kw["sasl_mechanism"] = self.sasl_mechanism
            if self.sasl_username:
                kw["sasl_plain_username"] = self.sasl_username
                password = self._password()
                if password is None:
                    raise ValueError(f"SASL password missing: set {self.sasl_password_env} "
                                     f"or sasl_password_file")
                kw["sasl_plain_password"] = password
        if self.security_protocol.endswith("SSL"):
            for key in ("ssl_cafile", "ssl_certfile", "ssl_keyfile"):
                if getattr(self, key):
                    kw[key] = getattr(self, key)
        kw.update(self.extra)
        return kw


def config_from_options(options) -> KafkaConfig:
    """KafkaConfig from pipeline options (any view; `--kafka_*` flags)."""
    return KafkaConfig.from_options(options)


def as_config(bootstrap_servers: str | KafkaConfig | None) -> KafkaConfig:
    """Accept a bootstrap string or a full KafkaConfig wherever a connector is built."""
    if isinstance(bootstrap_servers, KafkaConfig):
        return bootstrap_servers
    return KafkaConfig(bootstrap_servers=bootstrap_servers or DEFAULT_BOOTSTRAP)
