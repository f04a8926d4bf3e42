# Walrus for Java. Every target finds a JDK 25 on its own (bin/find-jdk) or says what to install.
#
# Benchmark knobs (environment variables, all optional):
#   FSYNC             sync-each | no-fsync (or none) | async (= 1000ms) | <n>ms | <n>   default: 1000ms
#   THREADS           writer threads, N                                                default: 2
#                     bench-scaling, bench-batch-scaling: N (1, 2, 4, ... N) or A-B      default: 1-4
#   WALRUS_DURATION   run length: 10s, 2m, ...                                          default: 10s
#                     (bench-reads: the most each timed read may take; bench-compare: each target;
#                      bench-scaling, bench-batch-scaling: each point, default 5s)
#   WALRUS_BATCH_SIZE entries per batch append (0 or unset: single appends)
#   BATCH             bench-batch-scaling's entries per batch (else WALRUS_BATCH_SIZE)   default: 256
#   BACKEND           fd | mmap                                                         default: fd
#   FILE_LANES        Walrus's fileLanes(n), 1 to 64                                    default: Walrus's own
#   WALRUS_DATA_DIR   where the benchmark writes                                        default: ./bench_data
#   BENCH_ROUNDS      rounds of bench-writes / bench-compare, alternating the order:
#                     1 = A B, 2 = A B B A, ...; the ratio sums all rounds             default: 1
#   PEERS             bench-compare's peers beside Walrus, e.g. chronicle,mmap            default: all
#                     bench-reads: from chronicle,kafka-log,rocksdb,filechannel,mmap, or none
#   CLUSTER_PEERS     bench-cluster's replicated peers after the Walrus cluster, on 3 Kafka brokers:
#                     kafka (Kafka's defaults: no fsync), kafka-fsync (flush.messages=1), both
#                     comma-separated, or none (the Walrus cluster and the embedded Walrus only)    default: kafka
#   GROUPS            bench-cluster's numbers of Raft groups for the Walrus cluster, one cluster after another,
#                     comma-separated; the last is the row the ratios and peers are taken against  default: 1,3
#                     (give it to make, `make bench-cluster GROUPS=3,1`, or as CLUSTER_GROUPS=3,1 in the
#                     environment: bash ignores an assignment to GROUPS, its list of the user's groups)
#   CLUSTER_WARMUP    the most bench-cluster's untimed warm-up of each cluster may take; it ends sooner once three
#                     5-s windows in a row agree within 10 % after 30 s (node JVMs compile for a minute here)  default: 120s
#   READ_ENTRIES      bench-reads' entries per topic, the same for every target (1000-1000000, 200k)
#                                                                                      default: 200000
#   BASELINE_REV      bench-read-ab's other build: a commit, built under bench_baseline/ (or BASELINE_JAR: a jar)
#   PERSIST_EVERY     bench-read-ab's atLeastOnce(n)                                     default: 5000
#   VISIT_WORK        bench-read-ab's multiply-adds per entry: the consumer's own work     default: 0
#   AB_PASSES, AB_RUNS bench-read-ab's passes over the log per run, and runs (after 2 control runs)  default: 60, 6
#   PROFILE           profile-writes' event: cpu (itimer where perf events are refused) | itimer | wall  default: cpu
#   PROFILE_INTERVAL  profile-writes' sampling interval                                 default: 1ms
#   PROFILE_JVM_FLAGS extra JVM flags for profile-writes, e.g. -XX:CompileCommand=dontinline,io.walrus.log.TopicWriter::*
#   JMH_ARGS          arguments for JMH (make jmh), e.g. "-wi 5 -i 10 -r 2s Append"
#                                                     default: -wi 2 -w 1s -i 3 -r 1s -f 1
# Benchmarks: bench-writes (Walrus against a FileChannel baseline), bench-reads (READ_ENTRIES per
# topic written into Walrus fd and mmap and into each peer, then read back by Walrus's readNext, peeks
# and 64 KiB batch reads, Chronicle's tailer, Kafka's log read, RocksDB's iterator and the plain
# FileChannel and MappedByteBuffer loops (the latter also with a CRC32C of each entry, the most a
# reader that verifies what it reads can reach), from the page cache and cold: a table of ratios to Walrus,
# the goals, a CSV and a chart), bench-scaling (Walrus writes over a sweep of THREADS, with a final table),
# bench-batch-scaling (the same sweep with batch appends of BATCH entries), bench-compare (Walrus,
# Chronicle Queue, RocksDB, Kafka's log, FileChannel and MappedByteBuffer loops one after another,
# then a table of ratios to Walrus, a CSV and a bar chart), jmh (microbenchmarks of the hot paths),
# bench-cluster (a 3-node local cluster beside the embedded Walrus under syncEach(), then a 3-broker Kafka
# cluster on the same workload: a table of ratios to the Walrus cluster, the goals, a CSV and charts).
# Each phase prints a line a second and a summary, and leaves a per-second CSV and a PNG plot of
# it in bench_results/. Before each phase the benchmark syncs and waits (at most 30 s) until the
# kernel's dirty and writeback pages are under 32 MB, so no phase pays for the writeback of the
# one before it.

SHELL := /bin/bash
JDK := $(shell bin/find-jdk)
ifeq ($(JDK),)
$(error No JDK 25 found: install one (e.g. Temurin 25) and set JAVA_HOME)
endif
export JAVA_HOME := $(JDK)
# Maven's own Guava calls sun.misc.Unsafe, which JDK 25 warns about; the warning is not ours.
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow
MVN := mvn -B -q -ntp
BENCH_JAR := walrus-bench/target/walrus-bench.jar
JMH_JAR := walrus-jmh/target/benchmarks.jar
# Chronicle Queue and JMH use sun.misc.Unsafe, which JDK 25 warns about; the opens and exports
# Chronicle needs are in walrus-bench.jar's manifest.
JAVA := $(JDK)/bin/java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
JMH_ARGS ?= -wi 2 -w 1s -i 3 -r 1s -f 1

.PHONY: build test crash-test cluster-crash-test cli cluster cluster-stop bench-cluster bench-writes profile-writes bench-reads bench-read-ab bench-scaling bench-batch-scaling bench-compare bench-group-commit bench-latency bench-batch-io bench-ring-ops bench-backends bench-flush-io bench-soak bench-open jmh clean

build:
	$(MVN) -DskipTests install

test:
	mvn -B -ntp verify

# The crash and fault-injection suite, long: kill -9 at random moments, simulated power losses,
# injected corruptions (docs/RELIABILITY.md). `make test` runs the same campaigns short.
# CRASH_SEED replays a failing run (the seed is printed at the start and in every failure).
CRASH_KILL_POINTS ?= 1000
CRASH_POWER_LOSSES ?= 300
CRASH_CORRUPTIONS ?= 10000
crash-test:
	mvn -B -ntp -pl walrus-core test -Dtest='io.walrus.torture.*Test' -Dsurefire.failIfNoSpecifiedTests=false \
		-Dwalrus.torture.killPoints=$(CRASH_KILL_POINTS) -Dwalrus.torture.powerLosses=$(CRASH_POWER_LOSSES) \
		-Dwalrus.torture.corruptions=$(CRASH_CORRUPTIONS) $(if $(CRASH_SEED),-Dwalrus.torture.seed=$(CRASH_SEED))

# The cluster fault campaign, long: three node processes, SIGKILLs of leaders and followers, restarts
# (some killed again while starting), nodes cut off and healed, a majority down now and then, while
# clients append and consume; then every node's contents checked (docs/RELIABILITY.md). `make test`
# runs it short: 10 faults, without cuts. CLUSTER_SEED replays a run (the seed is printed at the start
# and in every failure); CLUSTER_CUTS=no leaves the cuts out here too.
CLUSTER_FAULTS ?= 200
cluster-crash-test:
	mvn -B -ntp -pl walrus-server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
		-Dit.test=ClusterFaultCampaignTest -Dwalrus.cluster.faults=$(CLUSTER_FAULTS) \
		-Dwalrus.cluster.cuts=$(if $(filter no,$(CLUSTER_CUTS)),false,true) \
		$(if $(CLUSTER_SEED),-Dwalrus.cluster.seed=$(CLUSTER_SEED))

# Three walrus-server nodes on 127.0.0.1:6001-6003 in the background, data and logs under ./cluster_data
# (docs/CLUSTER.md), metrics and /ready on 127.0.0.1:7001-7003; CLUSTER_PORTS, CLUSTER_METRICS_PORTS and CLUSTER_DIR move them. `make cluster-stop` stops them (SIGTERM).
cluster:
	bin/walrus-cluster start

cluster-stop:
	bin/walrus-cluster stop

# The command-line tool's jar; bin/walrus builds it on first use too.
cli:
	$(MVN) -DskipTests -pl walrus-cli -am package

$(BENCH_JAR): $(shell find walrus-core/src/main walrus-client/src/main walrus-server/src/main walrus-bench/src/main -type f 2>/dev/null) pom.xml walrus-core/pom.xml walrus-client/pom.xml walrus-server/pom.xml walrus-bench/pom.xml
	$(MVN) -DskipTests -pl walrus-bench -am package

bench-writes: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) writes

# bench-writes with async-profiler (a dependency of walrus-bench; its library is extracted under
# walrus-bench/target/async-profiler) sampling each timed phase, Walrus's and the loop's apart: collapsed
# stacks and a flame graph per phase in bench_results/, and a table of where the appends' samples went.
PROFILE_LIB_DIR := walrus-bench/target/async-profiler
profile-writes: $(BENCH_JAR)
	mkdir -p $(PROFILE_LIB_DIR)
	PROFILE=$${PROFILE:-cpu} $(JAVA) -Done.profiler.extractPath=$(PROFILE_LIB_DIR) $(PROFILE_JVM_FLAGS) -jar $(BENCH_JAR) writes

bench-reads: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) reads

bench-scaling: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) scaling

# This tree's visitBatchForTopic path against another build's, both in one JVM per run with their
# passes interleaved, for differences too small for bench-reads on a shared machine. The other build:
# BASELINE_REV=<commit> (built once under bench_baseline/) or BASELINE_JAR=<its walrus-bench.jar>.
bench-read-ab: $(BENCH_JAR)
	BASELINE_JAR=$${BASELINE_JAR:-$$(bin/baseline-jar $${BASELINE_REV:?set BASELINE_REV=<commit> or BASELINE_JAR=<jar>})} \
		$(JAVA) -jar $(BENCH_JAR) read-ab

# sync-each over THREADS writers (default 16: 1, 2, 4, 8, 16) beside a one-writer write+fdatasync loop.
bench-group-commit: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) group-commit

bench-batch-scaling: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) batch-scaling

# Batch appends of BATCH x 1 KiB on the FD backend: io_uring, FileChannel, and single appends, one run.
bench-batch-io: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) batch-io

# The writes workload on walrus fd, walrus mmap, and the FileChannel and MappedByteBuffer loops, one run.
bench-backends: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) backends

# Flushing THREADS dirty files: fdatasync one by one against one io_uring submission.
bench-flush-io: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) flush-io

# The io_uring uses left to decide, as bare operations: a synced batch's writes with the fdatasync
# linked behind them, and a 1 MiB batch read as four reads in one submission (cached and from disk).
bench-ring-ops: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) ring-ops

bench-compare: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) compare

$(JMH_JAR): $(shell find walrus-core/src/main walrus-jmh/src/main -type f 2>/dev/null) pom.xml walrus-core/pom.xml walrus-jmh/pom.xml
	$(MVN) -DskipTests -pl walrus-jmh -am package

jmh: $(JMH_JAR)
	$(JAVA) -jar $(JMH_JAR) $(JMH_ARGS)

# Three local walrus-server nodes (from the bench jar) written by THREADS client threads, once per number of
# Raft groups in GROUPS (default 1,3: one group, then one per node; writer n's topic is in group n mod groups),
# single appends and batches of WALRUS_BATCH_SIZE (default 64), beside the embedded Walrus under syncEach();
# writes/s, p50/p99, ratios, and the bytes the nodes wrote per payload byte. WALRUS_DURATION per phase;
# CLUSTER_NODE_ARGS adds walrus-server options to every node, as for make cluster (e.g. "--ratis KEY=VALUE").
# Then, with the nodes stopped, CLUSTER_PEERS (default kafka): three Kafka brokers (KRaft, each also a
# controller, child JVMs from the bench jar), topics with replication factor 3 and min.insync.replicas=2, one
# shared producer with acks=all and idempotence, the same writers and payloads. Kafka runs with its defaults,
# so it acknowledges what is in the replicas' page cache, not fsync'd as the Walrus nodes' Raft log is;
# CLUSTER_PEERS=kafka,kafka-fsync adds topics with flush.messages=1. Broker logs: WALRUS_DATA_DIR/cluster-kafka-logs.
bench-cluster: $(BENCH_JAR)
	$(if $(GROUPS),CLUSTER_GROUPS=$(GROUPS)) $(JAVA) -jar $(BENCH_JAR) cluster

# Append -> waiting read returning (a named consumer), p50/p99 beside a queue hand-off; FSYNC, WALRUS_DURATION, BENCH_ROUNDS.
bench-latency: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) latency

# Many topics written and consumed at a fixed rate with a 64 MiB heap: disk, heap and throughput every few
# seconds (deletion of consumed files keeps disk flat). WALRUS_DURATION (default 3m), THREADS (producers and
# consumers each), FSYNC, SOAK_TOPICS (default 1000), SOAK_RATE (entries/s, default 20000), SOAK_REPORT_SECONDS.
bench-soak: $(BENCH_JAR)
	WALRUS_DURATION=$${WALRUS_DURATION:-3m} $(JAVA) -Xmx64m -jar $(BENCH_JAR) soak

# open() time on logs of OPEN_SIZES GiB (default 1,10), unconsumed and 99% consumed (files deleted),
# beside an open without the SEALS records; OPEN_TOPICS (default 8), WALRUS_DATA_DIR. Needs the disk space.
bench-open: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) open

clean:
	$(MVN) clean
	rm -rf bench_data bench_baseline
	git worktree prune
