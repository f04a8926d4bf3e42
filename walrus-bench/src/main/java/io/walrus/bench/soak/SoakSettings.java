package io.walrus.bench.soak;

import io.walrus.bench.config.WholeNumberSetting;

import java.util.Map;

/**
 * The soak's own knobs, beside the common ones (FSYNC, THREADS, WALRUS_DURATION, WALRUS_DATA_DIR).
 *
 * @param topics      topics written and read ({@code SOAK_TOPICS}, default 1,000)
 * @param rate        entries appended per second over all producers ({@code SOAK_RATE}, default 20,000)
 * @param reportEvery seconds between progress lines ({@code SOAK_REPORT_SECONDS}, default 5)
 */
record SoakSettings(int topics, int rate, int reportEvery) {
    static final String TOPICS = "SOAK_TOPICS";
    static final String RATE = "SOAK_RATE";
    static final String REPORT = "SOAK_REPORT_SECONDS";

    static SoakSettings fromEnvironment(Map<String, String> environment) {
        return new SoakSettings(WholeNumberSetting.read(environment, TOPICS, 1_000, 1, 100_000),
                WholeNumberSetting.read(environment, RATE, 20_000, 1, 10_000_000),
                WholeNumberSetting.read(environment, REPORT, 5, 1, 3_600));
    }
}
