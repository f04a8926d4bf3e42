package io.walrus.bench.chart;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Walrus and its peers side by side: one bar of writes a second per target that ran. */
public final class ComparisonChart {

    private ComparisonChart() {
    }

    /** One target's bar. */
    public record Bar(String target, double writesPerSecond) {
    }

    /** Draws {@code bars} into {@code png}, in thousand writes a second, and returns it. */
    public static Path write(Path png, String title, List<Bar> bars) throws IOException {
        return write(png, title, bars, 1e3, "thousand writes/s");
    }

    /**
     * Draws {@code bars} into {@code png} with each value divided by {@code divisor} under the axis
     * title {@code unit} (1 and {@code "writes/s"} where the bars are a few hundred a second, which
     * in thousands would all read 0), and returns it.
     */
    public static Path write(Path png, String title, List<Bar> bars, double divisor, String unit) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(PngFiles.WIDTH).height(PngFiles.HEIGHT).title(title)
                .xAxisTitle("target").yAxisTitle(unit).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setDecimalPattern("#,##0");
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Bar bar : bars) {
            names.add(bar.target());
            values.add(bar.writesPerSecond() / divisor);
        }
        chart.addSeries("writes/s", names, values);
        return PngFiles.save(chart, png);
    }
}
