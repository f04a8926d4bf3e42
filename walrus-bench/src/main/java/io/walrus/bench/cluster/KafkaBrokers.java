package io.walrus.bench.cluster;

import io.walrus.server.NodeProcess;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * A local Kafka cluster of {@code count} brokers in KRaft mode, each also a controller: child JVMs
 * running {@code kafka.Kafka} from this process's class path, on loopback ports the kernel picked,
 * each formatted ({@code kafka-storage format}) into a directory the caller owns. Their output
 * (SLF4J's simple logger at INFO) goes to {@code broker-<n>.log} in a log directory that outlives
 * the data, for diagnosis. {@link #close()} stops them all, and a shutdown hook kills any still
 * running when this JVM exits without closing.
 */
final class KafkaBrokers implements AutoCloseable {
    private static final String KAFKA_MAIN = "kafka.Kafka";
    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(180);
    private static final long TOPIC_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long POLL_MILLIS = 200;
    /**
     * What {@code kafka-server-start.sh} gives a broker's JVM (its {@code KAFKA_HEAP_OPTS} and
     * {@code KAFKA_JVM_PERFORMANCE_OPTS}), so the brokers run as Kafka ships them.
     */
    private static final List<String> KAFKA_JVM_OPTIONS = List.of("-Xmx1g", "-Xms1g", "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
            "-Djava.awt.headless=true");
    /**
     * This jar's SLF4J binding is nop (chosen by the service loader, the simple logger's service file
     * is left out of the jar), so the brokers name the simple logger explicitly: their log says why a
     * start failed.
     */
    private static final List<String> LOGGING_OPTIONS = List.of(
            "-Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");

    private final List<BrokerProperties.Endpoint> endpoints;
    private final List<NodeProcess> brokers = new ArrayList<>();
    private final Path logDirectory;
    private final Thread killOnExit = new Thread(this::killAll, "kafka-brokers-kill-on-exit");
    private Admin admin;

    private KafkaBrokers(List<BrokerProperties.Endpoint> endpoints, Path logDirectory) {
        this.endpoints = endpoints;
        this.logDirectory = logDirectory;
    }

    /**
     * Formats and starts {@code count} brokers with data under {@code dataDirectory} and logs in
     * {@code logDirectory}, and returns once every one of them is registered with the controller.
     *
     * @throws IOException naming the broker that exited or did not register, with its log's path
     */
    static KafkaBrokers start(Path dataDirectory, Path logDirectory, int count) throws IOException {
        List<Integer> ports = LoopbackPorts.free(2 * count);
        List<BrokerProperties.Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            endpoints.add(new BrokerProperties.Endpoint(i + 1, ports.get(2 * i), ports.get(2 * i + 1)));
        }
        Files.createDirectories(logDirectory);
        KafkaBrokers cluster = new KafkaBrokers(List.copyOf(endpoints), logDirectory);
        Runtime.getRuntime().addShutdownHook(cluster.killOnExit);
        try {
            String clusterId = Uuid.randomUuid().toString();
            String classPath = System.getProperty("java.class.path");
            for (BrokerProperties.Endpoint self : endpoints) {
                Path config = cluster.writeConfig(dataDirectory, self);
                format(clusterId, config, logDirectory.resolve("format-broker-" + self.nodeId() + ".log"));
                List<String> command = new ArrayList<>(List.of(NodeProcess.currentJava()));
                command.addAll(KAFKA_JVM_OPTIONS);
                command.addAll(NodeProcess.jvmOptions());
                command.addAll(LOGGING_OPTIONS);
                command.addAll(List.of("-cp", classPath, KAFKA_MAIN, config.toString()));
                NodeProcess broker = new NodeProcess(command, Map.of(), cluster.logOf(self));
                cluster.brokers.add(broker);
                broker.launch();
            }
            cluster.admin = Admin.create(adminSettings(cluster.bootstrapServers()));
            cluster.awaitRegistered();
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,...}: the brokers' client listeners. */
    String bootstrapServers() {
        return endpoints.stream().map(BrokerProperties.Endpoint::bootstrapAddress).collect(Collectors.joining(","));
    }

    /** Where each broker's output is kept. */
    Path logDirectory() {
        return logDirectory;
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions, each on every broker
     * (replication factor = brokers), {@code min.insync.replicas=2} and {@code configs}, and returns
     * once every partition has a leader and all its replicas in sync.
     */
    void createTopic(String topic, int partitions, Map<String, String> configs) throws IOException {
        Map<String, String> all = new HashMap<>(configs);
        all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(BrokerProperties.MIN_IN_SYNC_REPLICAS));
        NewTopic spec = new NewTopic(topic, partitions, (short) endpoints.size()).configs(all);
        try {
            admin.createTopics(List.of(spec)).all().get(TOPIC_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
            long deadline = System.nanoTime() + TOPIC_TIMEOUT_NANOS;
            while (!allInSync(topic)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("topic " + topic + " has partitions without a leader or with replicas"
                            + " out of sync after " + TimeUnit.NANOSECONDS.toSeconds(TOPIC_TIMEOUT_NANOS) + " s");
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not create topic " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating topic " + topic, e);
        }
    }

    /** The partitions of {@code topic} as the controller describes them. */
    List<TopicPartitionInfo> describe(String topic) throws IOException {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TOPIC_TIMEOUT_NANOS, TimeUnit.NANOSECONDS).get(topic);
            return description.partitions();
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not describe topic " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while describing topic " + topic, e);
        }
    }

    /** The brokers' process ids. */
    List<Long> pids() {
        return brokers.stream().map(NodeProcess::pid).toList();
    }

    /** Stops every broker at once (SIGTERM; SIGKILL for one still running a minute later). */
    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        // All at once, each from a thread of its own: a broker stopped after the others have gone waits
        // for a controller quorum that is no longer there, until it is killed.
        List<Thread> stopping = brokers.stream().map(b -> Thread.ofPlatform().name("stop-broker").start(b::stop))
                .toList();
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                killAll();
                return;
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // The hook is running or about to: it finds nothing left to kill.
        }
    }

    private void killAll() {
        brokers.forEach(NodeProcess::kill);
    }

    private Path logOf(BrokerProperties.Endpoint broker) {
        return logDirectory.resolve("broker-" + broker.nodeId() + ".log");
    }

    private Path writeConfig(Path dataDirectory, BrokerProperties.Endpoint self) throws IOException {
        Path home = dataDirectory.resolve("broker-" + self.nodeId());
        Files.createDirectories(home);
        Properties properties = BrokerProperties.of(self, endpoints, home.resolve("data"));
        Path config = home.resolve("server.properties");
        try (var writer = Files.newBufferedWriter(config)) {
            properties.store(writer, "bench-cluster: broker " + self.nodeId() + " of " + endpoints.size());
        }
        return config;
    }

    /** {@code kafka-storage format}, in this JVM: the tool's own entry point, without its exit. */
    private static void format(String clusterId, Path config, Path log) throws IOException {
        int status;
        try (OutputStream file = Files.newOutputStream(log);
             PrintStream out = new PrintStream(file, true, StandardCharsets.UTF_8)) {
            try {
                status = StorageTool.execute(new String[] {"format", "--cluster-id", clusterId,
                        "--config", config.toString()}, out);
            } catch (Exception e) {
                e.printStackTrace(out);
                status = -1;
            }
        }
        if (status != 0) {
            throw new IOException("formatting the broker storage of " + config + " failed (status " + status
                    + "): " + Files.readString(log).strip());
        }
    }

    private void awaitRegistered() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        String lastProblem = "no answer yet";
        while (System.nanoTime() - deadline < 0) {
            for (int i = 0; i < brokers.size(); i++) {
                if (!brokers.get(i).isAlive()) {
                    throw new IOException("Kafka broker " + endpoints.get(i).nodeId() + " exited while starting;"
                            + " its log: " + logOf(endpoints.get(i)));
                }
            }
            try {
                int registered = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes()
                        .get().size();
                if (registered == brokers.size()) {
                    return;
                }
                lastProblem = registered + " of " + brokers.size() + " brokers registered";
            } catch (ExecutionException notYet) {
                lastProblem = String.valueOf(notYet.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the Kafka brokers", e);
            }
            sleepBetweenPolls();
        }
        throw new IOException("the Kafka brokers were not all registered within "
                + TimeUnit.NANOSECONDS.toSeconds(READY_TIMEOUT_NANOS) + " s (" + lastProblem + "); their logs are in "
                + logDirectory);
    }

    private boolean allInSync(String topic) throws IOException {
        List<TopicPartitionInfo> partitions;
        try {
            partitions = describe(topic);
        } catch (IOException notYetKnown) {
            // The broker that answers may not have the new topic in its metadata yet.
            if (notYetKnown.getCause() instanceof ExecutionException e
                    && e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw notYetKnown;
        }
        for (TopicPartitionInfo partition : partitions) {
            if (partition.leader() == null || partition.isr().size() < endpoints.size()) {
                return false;
            }
        }
        return true;
    }

    private static void sleepBetweenPolls() throws IOException {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the Kafka brokers", e);
        }
    }

    private static Properties adminSettings(String bootstrapServers) {
        Properties settings = new Properties();
        settings.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "bench-cluster-admin");
        return settings;
    }
}
