"""KafkaOptions: the `--kafka_*` pipeline options (kept apart so the CLI avoids Beam)."""

from __future__ import annotations

from apache_beam.options.pipeline_options import PipelineOptions

from connectors.kafka.config import (
    DEFAULT_BOOTSTRAP,
    PASSWORD_ENV,
    SASL_MECHANISMS,
    SECURITY_PROTOCOLS,
)


class KafkaOptions(PipelineOptions):
    """Pipeline options of the Kafka edges (`--kafka_*`)."""

    @classmethod
    def _add_argparse_args(cls, parser) -> None:
        parser.add_argument("--kafka_bootstrap_servers", default=DEFAULT_BOOTSTRAP,
                            help="comma-separated host:port list")
        parser.add_argument("--kafka_pages_topic", default="pages",
                            help="topic the crawlers write page envelopes to")
        parser.add_argument("--kafka_group_id", default="newsbeam",
                            help="consumer group whose committed offsets the job resumes from")
        parser.add_argument("--kafka_start", default="committed",
                            choices=("committed", "earliest", "latest", "timestamp"),
                            help="where each partition starts")
        parser.add_argument("--kafka_start_fallback", default="earliest",
                            choices=("earliest", "latest"),
                            help="start of a partition without a committed offset")
        parser.add_argument("--kafka_start_timestamp_ms", type=int, default=None,
                            help="with --kafka_start=timestamp: first record time (ms)")
        parser.add_argument("--kafka_partition_check_s", type=float, default=60.0,
                            help="unbounded local job: check the pages topic for new "
                                 "partitions this often; on a change flush, commit and "
                                 "restart the pipeline to read them (0: never)")
        parser.add_argument("--kafka_stop_timestamp_ms", type=int, default=None,
                            help="with --bounded: stop each partition before its first "
                                 "record at/after this time (ms): a replay window")
        parser.add_argument("--kafka_security_protocol", default="PLAINTEXT",
                            choices=SECURITY_PROTOCOLS)
        parser.add_argument("--kafka_sasl_mechanism", default=None, choices=SASL_MECHANISMS)
        parser.add_argument("--kafka_sasl_username", default=None)
        parser.add_argument("--kafka_sasl_password_file", default=None,
                            help=f"file holding the SASL password (else env {PASSWORD_ENV})")
        parser.add_argument("--kafka_ssl_cafile", default=None)
        parser.add_argument("--kafka_ssl_certfile", default=None)
        parser.add_argument("--kafka_ssl_keyfile", default=None)
        parser.add_argument("--kafka_max_records_per_bundle", type=int, default=500,
                            help="self-checkpoint after this many records (bundle size, "
                                 "so also the most a crash can replay per partition)")
        parser.add_argument("--kafka_max_bundle_seconds", type=float, default=1.0,
                            help="self-checkpoint after this many seconds")
