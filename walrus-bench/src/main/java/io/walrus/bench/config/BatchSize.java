package io.walrus.bench.config;

import io.walrus.Walrus;

import java.util.Map;

/**
 * Entries per batch for {@code batch-scaling}: {@code BATCH}, else {@code WALRUS_BATCH_SIZE}, else
 * {@value #DEFAULT} (the original's batch sweep default). A batch sweep without batches would be
 * {@code scaling}, so 0 is refused here.
 */
public final class BatchSize {
    public static final String VARIABLE = "BATCH";
    public static final int DEFAULT = 256;

    private BatchSize() {
    }

    /**
     * @throws InvalidSettingException naming whichever variable was read, when it is not 1 to
     *                                 {@link Walrus#MAX_BATCH_ENTRIES}
     */
    public static int fromEnvironment(Map<String, String> environment) {
        String batch = environment.get(VARIABLE);
        if (batch != null && !batch.isBlank()) {
            return parse(VARIABLE, batch);
        }
        String walrusBatch = environment.get(WorkloadConfig.BATCH_SIZE);
        if (walrusBatch != null && !walrusBatch.isBlank()) {
            return parse(WorkloadConfig.BATCH_SIZE, walrusBatch);
        }
        return DEFAULT;
    }

    private static int parse(String variable, String value) {
        try {
            int size = Integer.parseInt(value.trim());
            if (size >= 1 && size <= Walrus.MAX_BATCH_ENTRIES) {
                return size;
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the error that names the variable
        }
        throw new InvalidSettingException(variable, value,
                "a whole number from 1 to " + Walrus.MAX_BATCH_ENTRIES + " (entries per batch)");
    }
}
