package io.walrus.bench.chart;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.nio.file.Path;

/** Writes charts as PNG files beside the CSV they were drawn from. */
public final class PngFiles {
    static final int WIDTH = 900;
    static final int HEIGHT = 500;

    private PngFiles() {
    }

    /** {@code results/run-1.csv} gives {@code results/run-1.png}. */
    public static Path besideCsv(Path csv) {
        String name = csv.getFileName().toString();
        String stem = name.endsWith(".csv") ? name.substring(0, name.length() - ".csv".length()) : name;
        return csv.resolveSibling(stem + ".png");
    }

    static Path save(Chart<?, ?> chart, Path png) throws IOException {
        // Charts are drawn off screen: a benchmark on a server has no display.
        System.setProperty("java.awt.headless", "true");
        String name = png.toString();
        // XChart adds the extension itself.
        BitmapEncoder.saveBitmap(chart, name.substring(0, name.length() - ".png".length()),
                BitmapEncoder.BitmapFormat.PNG);
        return png;
    }
}
