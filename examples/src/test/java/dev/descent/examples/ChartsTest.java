package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

/** The shared chart conventions: one notation on log axes, round ticks on linear x axes. */
class ChartsTest {
    static XYChart steps(int n) {
        XYChart c = Charts.chart("t", "step", "f − f*", false, true);
        double[] x = new double[n + 1], y = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            x[i] = i;
            y[i] = Math.exp(-i / 100.0);
        }
        Charts.line(c, "s", x, y);
        return c;
    }

    @Test
    void logAxesUseOneNotationAndEvenStepsGetRoundTicks() throws Exception {
        XYChart c = steps(2000);
        Path png = Charts.save(c, Files.createDirectories(Path.of("target", "charts-test")), "even-steps"); // kept to look at
        assertTrue(Files.size(png) > 1000);
        assertEquals("0E0", c.getStyler().getYAxisDecimalPattern());
        assertEquals(2, c.getSeriesMap().size(), "the series and one invisible point that breaks the grid");
        assertTrue(c.getSeriesMap().values().stream().filter(s -> !s.isShowInLegend()).count() == 1);
    }

    @Test
    void aLegendBelowThePlotIsOneRowWhenItFitsAndMovesBesideWhenItWouldRunOff() {
        XYChart few = steps(10);
        Charts.tidy(few);
        assertEquals(org.knowm.xchart.style.Styler.LegendPosition.OutsideS, few.getStyler().getLegendPosition());
        assertEquals(org.knowm.xchart.style.Styler.LegendLayout.Horizontal, few.getStyler().getLegendLayout());
        XYChart many = steps(10);
        for (int i = 0; i < 7; i++) Charts.line(many, "a rather long series name number " + i, new double[] {0, 1}, new double[] {1, 2});
        Charts.tidy(many);
        assertEquals(org.knowm.xchart.style.Styler.LegendPosition.OutsideE, many.getStyler().getLegendPosition(), "XChart does not wrap a row");
        assertEquals(org.knowm.xchart.style.Styler.LegendLayout.Vertical, many.getStyler().getLegendLayout());
    }

    @Test
    void logXAxesNeedNoNudge() {
        XYChart c = Charts.chart("t", "h", "error", true, true);
        Charts.line(c, "s", new double[] {1e-3, 1e-2, 1e-1}, new double[] {1, 2, 3});
        Charts.tidy(c);
        assertEquals(1, c.getSeriesMap().size());
        assertEquals("0E0", c.getStyler().getXAxisDecimalPattern());
    }

    @Test
    void panelsHaveOneCellPerHighlightedLineAndShowEachInItsColour() throws Exception {
        double[] x = {0, 1, 2, 3};
        java.awt.Color red = new java.awt.Color(0xd62728);
        List<Charts.Line> base = List.of(new Charts.Line("base", x, new double[] {1, 1, 1, 1}, java.awt.Color.BLACK));
        List<Charts.Line> fixes = List.of(new Charts.Line("a", x, new double[] {1, 0.1, 0.01, 0.001}, red),
                new Charts.Line("b", x, new double[] {1, 0.5, 0.2, 0.1}, new java.awt.Color(0x2ca02c)),
                new Charts.Line("c", x, new double[] {1, 0.9, 0.8, 0.7}, new java.awt.Color(0x1f77b4)));
        Path png = Charts.savePanels(Files.createDirectories(Path.of("target", "charts-test")), "panels", "title", "step", "loss", true, base, fixes, 2);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(2 * 420, img.getWidth(), "two columns");
        assertEquals(56 + 2 * 300, img.getHeight(), "three panels make two rows");
        boolean redInFirst = false, redElsewhere = false;
        for (int y = 56; y < img.getHeight(); y++) {
            for (int x0 = 0; x0 < img.getWidth(); x0++) {
                if ((img.getRGB(x0, y) & 0xffffff) != 0xd62728) continue;
                if (x0 < 420 && y < 356) redInFirst = true;
                else redElsewhere = true;
            }
        }
        assertTrue(redInFirst && !redElsewhere, "line a is drawn in its own panel only");
    }
}
