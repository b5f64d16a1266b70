package dev.descent.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
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
        return chart(title, xLabel, yLabel, logX, logY, 800, 500);
    }

    static XYChart chart(String title, String xLabel, String yLabel, boolean logX, boolean logY, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        XYStyler s = chart.getStyler();
        s.setXAxisLogarithmic(logX);
        s.setYAxisLogarithmic(logY);
        s.setLegendPosition(Styler.LegendPosition.OutsideS); // legends never cover the data
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }

    static XYSeries line(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /**
     * When every x value of every series lies on one even grid (steps 0, 1, …, 2000), XChart puts its ticks on every k-th
     * grid value, so labels come out as 0, 154, 308, … and run together. One invisible point half a grid step in breaks
     * that evenness, and XChart falls back to round ticks (0, 250, 500, …).
     */
    static void roundTicks(XYChart chart) {
        java.util.TreeSet<Double> xs = new java.util.TreeSet<>();
        double y = Double.NaN;
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (double v : series.getXData()) xs.add(v);
            for (double v : series.getYData()) if (Double.isNaN(y) && Double.isFinite(v) && (!chart.getStyler().isYAxisLogarithmic() || v > 0)) y = v;
        }
        if (xs.size() < 3 || Double.isNaN(y)) return;
        double step = xs.higher(xs.first()) - xs.first();
        XYSeries nudge = chart.addSeries("\u200b", new double[] {xs.first() + step / 2}, new double[] {y});
        nudge.setShowInLegend(false);
        nudge.setMarker(SeriesMarkers.NONE);
        nudge.setLineColor(new java.awt.Color(0, 0, 0, 0));
    }

    static XYSeries points(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        return s;
    }

    /**
     * Writes the chart as {@code dir/name.png}, through a temporary file so that no half-written PNG is left. Before that it
     * gives every log axis labels in one notation ({@code 1E-4}, {@code 1E0}: XChart's default mixes {@code 0.001} with
     * {@code 1E-4}), keeps linear x axes on round ticks (see {@link #roundTicks}) and lays a legend below the plot out in
     * rows.
     */
    static Path save(XYChart chart, Path dir, String name) throws IOException {
        tidy(chart);
        return write(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG), dir, name);
    }

    static final java.awt.BasicStroke DASHED = new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);

    /** A line to draw in a chart: its name, points and colour. */
    record Line(String name, double[] x, double[] y, java.awt.Color colour) {}

    /**
     * Small multiples: one panel per {@code highlighted} line, {@code columns} to a row, each showing that line in its colour
     * over the {@code baselines} in light grey, all on the same axes (so panels compare at a glance), under one title.
     * Tangled lines in one chart hide what each does; here each one stands beside the reference it is to be compared with.
     */
    static Path savePanels(Path dir, String name, String title, String xLabel, String yLabel, boolean logY, List<Line> baselines,
                           List<Line> highlighted, int columns) throws IOException {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (List<Line> group : List.of(baselines, highlighted)) {
            for (Line l : group) {
                for (double v : l.y()) {
                    if (Double.isFinite(v) && (!logY || v > 0)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        int pw = 420, ph = 300, header = 56;
        int rows = (highlighted.size() + columns - 1) / columns;
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(columns * pw, header + rows * ph, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = ContourPlot.whiteCanvas(img);
        g.setColor(java.awt.Color.BLACK);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 16));
        g.drawString(title, 12, 22);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 13));
        g.drawString("each panel: one line in colour; in grey in every panel, for comparison: " + baselines.get(0).name()
                + (baselines.size() > 1 ? " (solid); " + String.join("; ", baselines.subList(1, baselines.size()).stream().map(Line::name).toList())
                + " (dashed)" : ""), 12, 44);
        for (int i = 0; i < highlighted.size(); i++) {
            Line h = highlighted.get(i);
            XYChart c = chart(h.name(), xLabel, yLabel, false, logY, pw, ph);
            c.getStyler().setLegendVisible(false).setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 14));
            c.getStyler().setChartTitleBoxBackgroundColor(java.awt.Color.WHITE);
            if (Double.isFinite(lo)) c.getStyler().setYAxisMin(logY ? Math.pow(10, Math.floor(Math.log10(lo))) : lo).setYAxisMax(hi);
            for (Line b : baselines) {
                XYSeries grey = line(c, b.name(), b.x(), b.y());
                grey.setLineColor(new java.awt.Color(0xa8a8a8));
                if (baselines.indexOf(b) == 1) grey.setLineStyle(DASHED); // a second baseline tells itself from the first
            }
            line(c, h.name() + " ", h.x(), h.y()).setLineColor(h.colour()).setLineWidth(2.5f);
            c.getStyler().setChartTitleBoxVisible(false);
            tidy(c);
            java.awt.image.BufferedImage panel = BitmapEncoder.getBufferedImage(c);
            g.drawImage(panel, (i % columns) * pw, header + (i / columns) * ph, null);
        }
        g.dispose();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", bytes);
        return write(bytes.toByteArray(), dir, name);
    }

    private static Path write(byte[] png, Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".png");
        Path tmp = dir.resolve("." + name + ".png.tmp");
        try {
            Files.write(tmp, png);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    /** The conventions {@link #save} applies before drawing. */
    static void tidy(XYChart chart) {
        XYStyler s = chart.getStyler();
        if (s.isYAxisLogarithmic() && s.getYAxisDecimalPattern() == null) s.setYAxisDecimalPattern("0E0");
        if (s.isXAxisLogarithmic() && s.getXAxisDecimalPattern() == null) s.setXAxisDecimalPattern("0E0");
        if (!s.isXAxisLogarithmic()) roundTicks(chart);
        if (!s.isYAxisLogarithmic() && s.getYAxisDecimalPattern() == null && plainNumbersFit(chart)) s.setYAxisDecimalPattern("0.###"); // not ".05"
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        if (s.getLegendPosition() == Styler.LegendPosition.OutsideS) {
            // below the plot a legend goes in one row when that row fits the width (XChart does not wrap it), else in a column beside it
            java.awt.FontMetrics fm = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB).getGraphics().getFontMetrics(s.getLegendFont());
            int row = 20;
            for (XYSeries series : chart.getSeriesMap().values()) if (series.isShowInLegend()) row += fm.stringWidth(series.getName()) + s.getLegendSeriesLineLength() + 3 * s.getLegendPadding();
            if (row <= chart.getWidth() - 20) s.setLegendLayout(Styler.LegendLayout.Horizontal);
            else {
                s.setLegendPosition(Styler.LegendPosition.OutsideE);
                // the title is centred over the narrower plot: a long one gets a smaller font rather than being cut at the edge
                if (fm.stringWidth(chart.getTitle()) * 1.2 > chart.getWidth() * 0.6) s.setChartTitleFont(s.getChartTitleFont().deriveFont(12f));
            }
        }
    }

    /** Whether every y value is a number that reads well with up to three decimals (not tiny, not huge). */
    private static boolean plainNumbersFit(XYChart chart) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (double v : series.getYData()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return hi - lo >= 0.05 && Math.max(Math.abs(lo), Math.abs(hi)) < 1e5;
    }
}
