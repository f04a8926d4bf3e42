package io.walrus.bench.chart;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Throughput over time of one phase, drawn from its per-second CSV ({@code CsvProgressLog}):
 * thousands of operations a second against elapsed seconds.
 */
public final class ThroughputChart {
    private static final int ELAPSED_COLUMN = 1;
    private static final int RATE_COLUMN = 2;

    private ThroughputChart() {
    }

    /** One second of a phase, as its CSV row has it. */
    record Point(double elapsedSeconds, double perSecond) {
    }

    /**
     * Draws {@code csv} beside it and prints {@code [label] plot: <png>}. A chart that cannot be drawn
     * (no fonts on a bare server, say) is reported and skipped: the numbers are already in the CSV.
     */
    public static void drawAndReport(Path csv, String label, String title, PrintStream out) {
        try {
            out.println("[" + label + "] plot: " + writeBeside(csv, title));
        } catch (IOException | RuntimeException | LinkageError notDrawn) {
            out.println("[" + label + "] plot: not drawn (" + notDrawn + ")");
        }
    }

    /** Draws {@code csv} into a PNG beside it and returns the PNG's path. */
    public static Path writeBeside(Path csv, String title) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) {
            throw new IOException(csv + " is empty");
        }
        String operation = operationOf(lines.getFirst());
        return PngFiles.save(chart(title, operation, points(lines)), PngFiles.besideCsv(csv));
    }

    /** {@code writes_per_second} in the header gives {@code writes}. */
    static String operationOf(String header) {
        String[] columns = header.split(",");
        if (columns.length <= RATE_COLUMN || !columns[RATE_COLUMN].endsWith("_per_second")) {
            throw new IllegalArgumentException("not a progress CSV header: " + header);
        }
        return columns[RATE_COLUMN].substring(0, columns[RATE_COLUMN].length() - "_per_second".length());
    }

    /** The rows after the header; a row cut short (an interrupted run) is skipped. */
    static List<Point> points(List<String> lines) {
        List<Point> points = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            if (fields.length > RATE_COLUMN) {
                try {
                    points.add(new Point(Double.parseDouble(fields[ELAPSED_COLUMN]),
                            Double.parseDouble(fields[RATE_COLUMN])));
                } catch (NumberFormatException partial) {
                    // a row cut short by an interrupted run
                }
            }
        }
        return points;
    }

    private static XYChart chart(String title, String operation, List<Point> points) {
        XYChart chart = new XYChartBuilder().width(PngFiles.WIDTH).height(PngFiles.HEIGHT).title(title)
                .xAxisTitle("elapsed (s)").yAxisTitle("thousand " + operation + "/s").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern("0.#");
        double[] x = new double[Math.max(points.size(), 1)];
        double[] y = new double[x.length];
        for (int i = 0; i < points.size(); i++) {
            x[i] = points.get(i).elapsedSeconds();
            y[i] = points.get(i).perSecond() / 1e3;
        }
        XYSeries series = chart.addSeries(operation + "/s", x, y);
        series.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
        return chart;
    }
}
