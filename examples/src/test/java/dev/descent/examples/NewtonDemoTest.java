package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewtonDemoTest {

    static NewtonDemo tiny() {
        NewtonDemo d = new NewtonDemo();
        d.rosenbrockSteps = 300;
        return d;
    }

    @Test
    void newtonSolvesEveryQuadraticInOneStepWhileGradientDescentGrowsWithTheConditionNumber() {
        NewtonDemo d = tiny();
        NewtonDemo.Conditioning one = d.conditioning(1), many = d.conditioning(1000);
        assertTrue(many.gdIterations() >= 10 * one.gdIterations(), one.gdIterations() + " -> " + many.gdIterations());
        // the contraction (κ − 1)/(κ + 1) per step predicts ⌈ln(1e6) / ln(1001/999)⌉ = 6908
        assertEquals(6908, many.gdIterations(), 5);
        // the usual step 1/L contracts by 1 − 1/κ: about twice as many
        assertEquals(2.0, (double) many.gdInverseLIterations() / many.gdIterations(), 0.05);
        for (double k : d.kappas) {
            NewtonDemo.Conditioning c = d.conditioning(k);
            assertTrue(c.newtonIterations() <= 2, "κ = " + k + ": " + c.newtonIterations());
            assertArrayEquals(new double[] {1, k}, c.eigenvalues(), 1e-9 * k, "the Hessian R diag(1, κ) Rᵀ");
            assertEquals(k, c.conditionNumber(), 1e-9 * k);
        }
    }

    @Test
    void newtonConvergesQuadraticallyAndFasterThanLineSearchGradientDescent() {
        NewtonDemo.Convergence c = tiny().convergence();
        double[] e = c.newton();
        assertTrue(e.length - 1 <= 6 && e[e.length - 1] <= 1e-12, "iterations: " + (e.length - 1));
        // e_{k+1} ≤ C e_k² with a constant C < 1 while the error is above round-off
        for (int k = 1; k < e.length && e[k] > 1e-13; k++) assertTrue(e[k] / (e[k - 1] * e[k - 1]) < 0.5, "k = " + k);
        assertTrue(c.gd()[e.length - 1] > 1e-3, "line-search GD after as many iterations: " + c.gd()[e.length - 1]);
    }

    @Test
    void undampedNewtonClimbsToTheSaddleWhileDampingAndLevenbergMarquardtReachAMinimum() {
        List<NewtonDemo.SaddleRun> runs = tiny().saddleRuns();
        NewtonDemo.SaddleRun undamped = runs.get(0);
        assertTrue(undamped.finalDistanceToSaddle() < 1e-9, "ends at the saddle: " + undamped.finalDistanceToSaddle());
        assertTrue(undamped.finalLoss() > undamped.losses()[0], "the saddle is uphill from the start");
        assertTrue(undamped.finalEigenvalues()[0] < 0, "an indefinite Hessian where it stopped");
        for (NewtonDemo.SaddleRun r : runs.subList(1, runs.size())) {
            assertTrue(r.finalLoss() < r.losses()[0], r.label());
            assertEquals(-0.25, r.finalLoss(), 1e-4, r.label() + " reaches a minimum");
            assertTrue(r.finalEigenvalues()[0] > 0, r.label());
        }
    }

    @Test
    void armijoLineSearchGetsDownRosenbrocksValleyInFarFewerEvaluationsThanAFixedStep(@TempDir Path dir) throws Exception {
        NewtonDemo d = tiny();
        NewtonDemo.Results r = d.compute(Progress.silent());
        NewtonDemo.LineSearchRun fixed = r.lineSearch().get(0), armijo = r.lineSearch().get(1);
        assertEquals(armijo.totalEvaluations(), fixed.totalEvaluations(), "the same budget");
        assertTrue(armijo.evaluationsTo(1e-2) > 0, "Armijo gets below 0.01");
        assertTrue(fixed.evaluationsTo(1e-2) < 0 || armijo.evaluationsTo(1e-2) * 5 < fixed.evaluationsTo(1e-2),
                armijo.evaluationsTo(1e-2) + " vs " + fixed.evaluationsTo(1e-2));

        Section s = d.report(r, dir);
        assertEquals(6, s.charts().size());
        for (Path png : s.charts()) assertTrue(Files.size(png) > 1000, png.toString());
        assertTrue(s.markdown().contains("| 1000 | 1, 1000 | 1000 | 6908 | 6908 | 13774 | 1 |"), s.markdown());
        assertTrue(s.explanation().contains("6908 iterations at condition number 1000"), s.explanation());
    }

    @Test
    void isASubcommandAndPartOfTheTour() {
        StringWriter out = new StringWriter();
        assertEquals(0, Descent.execute(new String[] {"newton", "--help"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)));
        assertTrue(out.toString().contains("--seed") && out.toString().contains("--out"), out.toString());
        assertTrue(TourCommand.demos().stream().anyMatch(d -> d.name().equals("newton")));
    }
}
