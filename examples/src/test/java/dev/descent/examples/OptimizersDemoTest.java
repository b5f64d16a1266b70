package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizersDemoTest {

    @Test
    void adamReachesTheRosenbrockMinimumFasterThanPlainGradientDescent(@TempDir Path dir) throws Exception {
        OptimizersDemo demo = new OptimizersDemo();
        Section s = demo.run(42, dir, Progress.silent());
        assertEquals(6, s.charts().size(), "a contour map and a loss chart per landscape");
        for (Path png : s.charts()) assertTrue(Files.size(png) > 5000, png + " is " + Files.size(png) + " bytes");

        List<OptimizersDemo.Run> runs = demo.runAll(Progress.silent());
        OptimizersDemo.Run adam = OptimizersDemo.find(runs, "rosenbrock", "Adam"), gd = OptimizersDemo.find(runs, "rosenbrock", "GD");
        assertTrue(adam.stepsToTolerance() > 0, "Adam gets within 1e-3 of the minimum: " + adam.finalGap());
        assertTrue(gd.stepsToTolerance() < 0 || gd.stepsToTolerance() > adam.stepsToTolerance(), "GD is slower");
        assertTrue(gd.finalGap() > 100 * adam.finalGap(), "GD " + gd.finalGap() + " vs Adam " + adam.finalGap());
        assertTrue(s.markdown().contains("plain GD does not within the budget"), s.markdown());
    }

    @Test
    void momentumBeatsGradientDescentOnTheIllConditionedBowlAndEveryoneLeavesTheSaddle() {
        List<OptimizersDemo.Run> runs = new OptimizersDemo().runAll(Progress.silent());
        OptimizersDemo.Run gd = OptimizersDemo.find(runs, "quadratic", "GD"), momentum = OptimizersDemo.find(runs, "quadratic", "momentum 0.9");
        assertTrue(momentum.finalGap() < 1e-3 * gd.finalGap(), momentum.finalGap() + " vs " + gd.finalGap());
        // at the saddle GD waits: y grows only by a factor (1 + lr) per step, while Adam's normalised steps leave at once
        OptimizersDemo.Run gdSaddle = OptimizersDemo.find(runs, "saddle", "GD"), adamSaddle = OptimizersDemo.find(runs, "saddle", "Adam");
        assertTrue(adamSaddle.stepsToTolerance() > 0 && adamSaddle.stepsToTolerance() < gdSaddle.stepsToTolerance());
    }
}
