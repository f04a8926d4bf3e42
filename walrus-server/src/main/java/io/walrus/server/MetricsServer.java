package io.walrus.server;

import com.sun.net.httpserver.HttpExchange;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's HTTP endpoint ({@code --metrics-port}): {@code /metrics} in the Prometheus text format
 * (the Prometheus client's exporter), {@code /ready} (200 once the node serves, 503 with the reason
 * otherwise: {@link Readiness}) and the exporter's {@code /-/healthy} (the process answers). It is
 * bound before the node writes anything, so a port in use fails the start with nothing written; until
 * {@link #serve} gets the node, {@code /ready} says it is starting.
 */
final class MetricsServer implements AutoCloseable {
    private final AtomicReference<WalrusNode> node = new AtomicReference<>();
    private final AppliedWrites appliedWrites = new AppliedWrites();
    private final HTTPServer http;

    private MetricsServer(MetricsAddress address) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        appliedWrites.register(registry);
        NodeMetrics.register(registry, node::get);
        RaftLogTimers.register(registry, node::get);
        try {
            http = HTTPServer.builder()
                    .hostname(address.host())
                    .port(address.port())
                    .registry(registry)
                    .registerHealthHandler(true)
                    .defaultHandler(this::handle)
                    .buildAndStart();
        } catch (IOException e) {
            throw new IOException("cannot listen on " + address + " for metrics: " + e.getMessage()
                    + " (is another node or program using port " + address.port() + "?)", e);
        }
    }

    static MetricsServer start(MetricsAddress address) throws IOException {
        return new MetricsServer(address);
    }

    /** What the node's state machine counts into. */
    AppliedWrites appliedWrites() {
        return appliedWrites;
    }

    /** From now on the metrics and {@code /ready} describe {@code serving}. */
    void serve(WalrusNode serving) {
        node.set(serving);
    }

    int port() {
        return http.getPort();
    }

    /** Every path the exporter does not serve itself ({@code /metrics}, {@code /-/healthy}). */
    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                respond(exchange, 405, "only GET and HEAD\n");
            } else if (path.equals("/ready")) {
                WalrusNode serving = node.get();
                Readiness readiness = serving == null ? Readiness.notReady("the node is starting") : serving.readiness();
                respond(exchange, readiness.ready() ? 200 : 503,
                        (readiness.ready() ? "ready: " : "not ready: ") + readiness.reason() + "\n");
            } else if (path.equals("/")) {
                respond(exchange, 200, "walrus-server: /metrics (Prometheus), /ready, /-/healthy\n");
            } else {
                respond(exchange, 404, "no such path: " + path + " (there are /metrics, /ready, /-/healthy)\n");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
