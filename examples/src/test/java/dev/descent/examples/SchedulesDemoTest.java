package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.optim.schedule.LrFinder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulesDemoTest {

    static SchedulesDemo tiny() {
        SchedulesDemo d = new SchedulesDemo();
        d.epochs = 20;
        d.width = 32;
        d.finderSteps = 60;
        return d;
    }

    static SchedulesDemo.Run run(List<SchedulesDemo.Run> runs, String prefix) {
        return runs.stream().filter(r -> r.config().name().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void everyScheduleFollowsItsShapeAndTheFinderSuggestsARateBelowWhereTheLossTurnsUp(@TempDir Path dir) throws Exception {
        SchedulesDemo d = tiny();
        SchedulesDemo.Results r = d.compute(42, Progress.silent());
        int total = d.epochs * d.stepsPerEpoch();
        double peak = d.peakLr;
        SchedulesDemo.Run step = run(r.runs(), "step decay"), exp = run(r.runs(), "exponential"), cos = run(r.runs(), "cosine"),
                restarts = run(r.runs(), "warm restarts"), one = run(r.runs(), "one-cycle"), warm = run(r.runs(), "warmup");
        assertEquals(peak, step.lrs()[0], 1e-15);
        assertEquals(peak * 1e-2, step.lrs()[total - 1], 1e-12, "two decays by 0.1");
        assertEquals(peak * 0.01, exp.lrs()[total - 1], peak * 1e-3, "1 % of the peak at the end");
        assertEquals(peak / 2, cos.lrs()[total / 2], 1e-9, "half way down at half time");
        assertTrue(cos.lrs()[total - 1] < 1e-3 * peak);
        // warm restarts: the rate jumps back to the peak at T₀ and 3 T₀
        int t0 = (total + 6) / 7;
        assertEquals(peak, restarts.lrs()[t0], 1e-12);
        assertEquals(peak, restarts.lrs()[3 * t0], 1e-12);
        assertEquals(peak / 25, one.lrs()[0], 1e-12, "one-cycle starts at maxLr / divFactor");
        double oneMax = java.util.Arrays.stream(one.lrs()).max().orElseThrow();
        assertEquals(peak, oneMax, 1e-3 * peak);
        assertTrue(warm.lrs()[0] < 0.02 * peak && warm.lrs()[total / 10] > 0.99 * peak, "linear warmup to the peak");

        LrFinder.Result f = r.finder();
        assertTrue(f.suggestion() > 1e-3 && f.suggestion() < 2, "suggestion " + f.suggestion());
        assertTrue(f.suggestion() < f.lrs()[SchedulesDemo.argmin(f.smoothedLosses())], "below the rate of the lowest smoothed loss");

        Section s = d.report(r, dir);
        assertEquals(3, s.charts().size());
        for (Path png : s.charts()) assertTrue(Files.size(png) > 1000, png.toString());
        assertTrue(s.markdown().contains("| one-cycle | 1.20e-02 |"), s.markdown());
    }

    @Test
    void annealingSchedulesEndWithALowerLossThanAConstantRateTooHighOrTooLow() {
        // the default settings, as the report shows them (about 4 s)
        SchedulesDemo d = new SchedulesDemo();
        SchedulesDemo.Results r = d.compute(42, Progress.silent());
        double high = r.runs().get(0).finalLoss(), low = r.runs().get(1).finalLoss();
        assertTrue(high > 0.2, "constant " + d.peakLr + " keeps bouncing: " + high);
        for (String name : List.of("cosine", "one-cycle", "warmup", "warm restarts", "step decay", "exponential")) {
            SchedulesDemo.Run run = run(r.runs(), name);
            assertTrue(run.finalLoss() < 0.6 * Math.min(high, low), name + ": " + run.finalLoss() + " vs constants " + high + ", " + low);
            assertTrue(run.trainAccuracy() >= 0.97, name + ": " + run.trainAccuracy());
        }
    }

    @Test
    void isASubcommandAndPartOfTheTour() {
        StringWriter out = new StringWriter();
        assertEquals(0, Descent.execute(new String[] {"schedules", "--help"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)));
        assertTrue(out.toString().contains("--seed") && out.toString().contains("--out"), out.toString());
        assertTrue(TourCommand.demos().stream().anyMatch(d -> d.name().equals("schedules")));
    }
}
