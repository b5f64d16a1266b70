package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
