"""What every observability piece shares (request ids, redaction, how an operation ended), and
`install.install_bus_observability`, which puts the bus middlewares in their order.

The shared modules import neither Prometheus nor OpenTelemetry, so logging, metrics, tracing
and audit can all depend on them without depending on each other.
"""
