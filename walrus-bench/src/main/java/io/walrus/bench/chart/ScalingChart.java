package io.walrus.bench.chart;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A thread sweep: thousands of writes a second against the number of writer threads. */
public final class ScalingChart {

    private ScalingChart() {
    }

    /** One point of the sweep. */
    public record Point(int threads, double writesPerSecond) {
    }

    /** Draws {@code points} into {@code png} and returns it. */
    public static Path write(Path png, String title, List<Point> points) throws IOException {
        XYChart chart = new XYChartBuilder().width(PngFiles.WIDTH).height(PngFiles.HEIGHT).title(title)
                .xAxisTitle("writer threads").yAxisTitle("thousand writes/s").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern("#");
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            x[i] = points.get(i).threads();
            y[i] = points.get(i).writesPerSecond() / 1e3;
        }
        chart.addSeries("writes/s", x, y).setMarker(SeriesMarkers.CIRCLE);
        return PngFiles.save(chart, png);
    }
}
