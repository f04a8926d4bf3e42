package io.walrus.bench.chart;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code bench-reads}: MB/s read per target, from the page cache and from the disk, side by side. */
public final class ReadsChart {

    private ReadsChart() {
    }

    /** One target's pair of bars; 0 where it was not read that way. */
    public record Bar(String target, double pageCacheMegabytes, double coldMegabytes) {
    }

    /** Draws {@code bars} into {@code png} and returns it. */
    public static Path write(Path png, String title, List<Bar> bars) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(PngFiles.WIDTH + 300).height(PngFiles.HEIGHT)
                .title(title).xAxisTitle("target").yAxisTitle("MB/s of payload read").build();
        chart.getStyler().setLabelsVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setDecimalPattern("#,##0");
        List<String> names = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        List<Double> cold = new ArrayList<>();
        for (Bar bar : bars) {
            names.add(bar.target());
            warm.add(bar.pageCacheMegabytes());
            cold.add(bar.coldMegabytes());
        }
        chart.addSeries("page cache", names, warm);
        chart.addSeries("cold (evicted)", names, cold);
        return PngFiles.save(chart, png);
    }
}
