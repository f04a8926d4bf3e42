# Walrus for Java. Every target finds a JDK 25 on its own (bin/find-jdk) or says what to install.
#
# Benchmark knobs (environment variables, all optional):
#   FSYNC             sync-each | no-fsync (or none) | async (= 1000ms) | <n>ms | <n>   default: 1000ms
#   THREADS           writer threads, N                                                default: 2
#                     bench-scaling: N (1, 2, 4, ... N) or A-B (every count A to B)    default: 1-4
#   WALRUS_DURATION   run length: 10s, 2m, ...                                          default: 10s
#                     (bench-reads: each of its two phases; bench-scaling: each point, default 5s)
#   WALRUS_BATCH_SIZE entries per batch append (0 or unset: single appends)
#   BACKEND           fd | mmap                                                         default: fd
#   WALRUS_DATA_DIR   where the benchmark writes                                        default: ./bench_data
#   BENCH_ROUNDS      Walrus/baseline rounds, alternating which goes first:
#                     1 = A B, 2 = A B B A, ...; the ratio sums all rounds             default: 1
# Benchmarks: bench-writes (Walrus against a FileChannel baseline), bench-reads (a write phase,
# then reading it back), bench-scaling (Walrus writes over a sweep of THREADS, with a final table).
# Each phase prints a line a second and a summary, and leaves a per-second CSV in bench_results/.
# Before each phase the benchmark syncs and waits (at most 30 s) until the kernel's dirty and
# writeback pages are under 32 MB, so no phase pays for the writeback of the one before it.

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
JAVA := $(JDK)/bin/java --enable-native-access=ALL-UNNAMED

.PHONY: build test bench-writes bench-reads bench-scaling bench-latency clean

build:
	$(MVN) -DskipTests install

test:
	mvn -B -ntp verify

$(BENCH_JAR): $(shell find walrus-core/src/main walrus-bench/src/main -type f 2>/dev/null) pom.xml walrus-core/pom.xml walrus-bench/pom.xml
	$(MVN) -DskipTests -pl walrus-bench -am package

bench-writes: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) writes

bench-reads: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) reads

bench-scaling: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) scaling

# Append -> waiting read returning (a named consumer), p50/p99 beside a queue hand-off; FSYNC, WALRUS_DURATION, BENCH_ROUNDS.
bench-latency: $(BENCH_JAR)
	$(JAVA) -jar $(BENCH_JAR) latency

clean:
	$(MVN) clean
	rm -rf bench_data
