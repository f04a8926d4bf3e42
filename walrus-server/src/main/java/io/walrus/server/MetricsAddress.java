package io.walrus.server;

/**
 * Where a node serves {@code /metrics} and {@code /ready} ({@code --metrics-host}, {@code --metrics-port}).
 *
 * @param host the address to bind (127.0.0.1 unless told otherwise: the figures are for this machine's scraper)
 * @param port the TCP port; 0 lets the kernel pick one, which the node prints
 */
record MetricsAddress(String host, int port) {
    static final String DEFAULT_HOST = "127.0.0.1";

    MetricsAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--metrics-host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--metrics-port must be between 0 and 65535 (0: any free port), metricsPort="
                    + port);
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
