package io.walrus.bench.readcompare;

/** Where a read finds the data: in the page cache (just written), or on the disk (evicted first). */
enum CacheState {
    PAGE_CACHE("page-cache"),
    COLD("cold");

    final String label;

    CacheState(String label) {
        this.label = label;
    }
}
