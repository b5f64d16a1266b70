package dev.descent.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts written as PNG files, with one consistent look. */
final class Charts {
    private Charts() {}

    static XYChart chart(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        XYStyler s = chart.getStyler();
        s.setXAxisLogarithmic(logX);
        s.setYAxisLogarithmic(logY);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }

    static XYSeries line(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    static XYSeries points(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        return s;
    }

    /** Writes the chart as {@code dir/name.png}, through a temporary file so that no half-written PNG is left. */
    static Path save(XYChart chart, Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".png");
        Path tmp = dir.resolve("." + name + ".png.tmp");
        try {
            Files.write(tmp, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }
}
