package io.walrus.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** GETs from a node's metrics endpoint, and the samples of a {@code /metrics} page in the text format. */
final class Scrape {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One sample line: {@code name{labels} value}. */
    record Sample(String name, String labels, double value) {
        boolean has(String label, String value) {
            return labels.contains(label + "=\"" + value + "\"");
        }
    }

    record Response(int status, String body) {
    }

    private final List<Sample> samples;
    final String text;

    private Scrape(String text) {
        this.text = text;
        this.samples = parse(text);
    }

    static Response get(TestNode node, String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.metricsAddress() + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + node + " for " + path, e);
        }
    }

    static Scrape metrics(TestNode node) throws IOException {
        Response response = get(node, "/metrics");
        if (response.status() != 200) {
            throw new AssertionError(node + " answered /metrics with " + response.status() + ": " + response.body());
        }
        return new Scrape(response.body());
    }

    /** The value of the one sample of {@code name} that has every {@code label=value} pair given. */
    OptionalDouble value(String name, String... labelValuePairs) {
        List<Sample> matching = new ArrayList<>();
        for (Sample sample : samples) {
            boolean all = sample.name().equals(name);
            for (int i = 0; all && i < labelValuePairs.length; i += 2) {
                all = sample.has(labelValuePairs[i], labelValuePairs[i + 1]);
            }
            if (all) {
                matching.add(sample);
            }
        }
        if (matching.size() > 1) {
            throw new AssertionError(matching.size() + " samples match " + name + " " + List.of(labelValuePairs) + ": "
                    + matching);
        }
        return matching.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(matching.getFirst().value());
    }

    double require(String name, String... labelValuePairs) {
        return value(name, labelValuePairs).orElseThrow(() -> new AssertionError("no sample " + name + " "
                + List.of(labelValuePairs) + " in:\n" + text));
    }

    List<Sample> all(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    private static List<Sample> parse(String text) {
        List<Sample> parsed = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            int brace = series.indexOf('{');
            String name = brace < 0 ? series : series.substring(0, brace);
            String labels = brace < 0 ? "" : series.substring(brace);
            parsed.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return parsed;
    }

    /**
     * Asks {@code condition} until it holds, a tenth of a second apart; fails naming {@code what} after
     * {@code seconds}. For figures that change on their own (an election, a heartbeat), not as a pause.
     */
    static void awaitTrue(long seconds, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + seconds + " s for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
