package dev.descent.examples.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The network playground: configuration checks, bounded steps, determinism, and gradient verdicts that tell the story. */
class NetworkSessionTest {
    static NetworkSession session(String config) {
        return new NetworkSession(NetworkSession.Config.read(Params.parse(config)));
    }

    @Test
    void theSameSeedGivesTheSameLossesHoweverTheStepsAreSplit() {
        String c = "{\"dataset\":\"spirals\",\"points\":120,\"depth\":3,\"width\":8,\"batchSize\":16,\"seed\":11,\"batchNorm\":true,"
                + "\"optimizer\":{\"name\":\"adam\",\"params\":{\"lr\":0.01}}}";
        NetworkSession a = session(c), b = session(c);
        var whole = a.advance(12, 0); // one request, or more when the time budget cuts it short
        while (whole.step() < 12) whole = a.advance(12 - whole.step(), 0);
        while (b.step() < 5) b.advance(1, 0);
        while (b.step() < 12) b.advance(Math.min(3, 12 - b.step()), 0);
        var split = b.advance(0, 0);
        assertEquals(12, whole.step());
        assertArrayEquals(whole.trainLoss(), split.trainLoss());
        assertArrayEquals(whole.testLoss(), split.testLoss());
        assertArrayEquals(whole.boundary(), split.boundary());
        NetworkSession other = session(c.replace("\"seed\":11", "\"seed\":12"));
        while (other.step() < 12) other.advance(12 - other.step(), 0);
        assertTrue(other.advance(0, 0).trainLoss()[12] != whole.trainLoss()[12]);
    }

    @Test
    void trainingLowersTheLossOnMoons() {
        var s = session("{\"dataset\":\"moons\",\"points\":200,\"depth\":2,\"width\":16,\"seed\":1,\"optimizer\":{\"name\":\"adam\",\"params\":{\"lr\":0.02}}}");
        double first = s.advance(0, 0).trainLoss()[0];
        var state = s.advance(200, 0);
        while (state.step() < 400) state = s.advance(400 - state.step(), 0);
        assertTrue(state.trainLoss()[state.step()] < 0.5 * first, "loss " + first + " -> " + state.trainLoss()[state.step()]);
        assertTrue(state.testAccuracy() > 0.9, "test accuracy " + state.testAccuracy());
        assertEquals(NetworkSession.BOUNDARY_GRID * NetworkSession.BOUNDARY_GRID, state.boundary().length);
        assertEquals(4 * 200, state.points().length);
    }

    @Test
    void twentySigmoidLayersVanishAndReluWithHeDoesNot() {
        String deep = "{\"dataset\":\"moons\",\"depth\":20,\"width\":16,\"seed\":2,\"activation\":\"sigmoid\",\"optimizer\":{\"name\":\"sgd\",\"params\":{\"lr\":0.1}}}";
        var sigmoid = session(deep).advance(1, 0);
        assertEquals("vanishing", sigmoid.layers().get(0).health(), sigmoid.layers().toString());
        var relu = session(deep.replace("sigmoid", "relu").replace("\"seed\"", "\"init\":\"he\",\"seed\"")).advance(1, 0);
        assertEquals("healthy", relu.layers().get(0).health(), relu.layers().toString());
        var residual = session(deep.replace("\"seed\"", "\"residual\":true,\"seed\"")).advance(1, 0);
        assertTrue(residual.layers().get(0).gradNorm() > 100 * sigmoid.layers().get(0).gradNorm(),
                "residual connections carry the gradient back: " + residual.layers().get(0) + " vs " + sigmoid.layers().get(0));
    }

    @Test
    void aRequestDoesBoundedWork() {
        var s = session("{\"dataset\":\"xor\",\"points\":600,\"depth\":24,\"width\":32,\"batchSize\":420,\"seed\":0}");
        long t0 = System.nanoTime();
        var state = s.advance(NetworkSession.MAX_STEPS_PER_REQUEST, 0);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(state.stepsDone() >= 1 && state.stepsDone() <= NetworkSession.MAX_STEPS_PER_REQUEST);
        // one step past the budget at most, plus drawing the boundary: well under a second on any machine here
        assertTrue(millis < NetworkSession.TIME_BUDGET_MILLIS + 1000, millis + " ms for " + state.stepsDone() + " steps");
    }

    @Test
    void badConfigurationsAreRefusedWithTheParameterNamed() {
        assertEquals("batchSize: BatchNorm needs at least 2 examples per batch to compute a variance, got 1",
                assertThrows(IllegalArgumentException.class, () -> session("{\"batchNorm\":true,\"batchSize\":1}")).getMessage());
        assertEquals("batchSize: expected at most the 70 training points (70% of 100), got 71",
                assertThrows(IllegalArgumentException.class, () -> session("{\"points\":100,\"batchSize\":71}")).getMessage());
        assertEquals("depth: expected a whole number in [1, 24], got 25",
                assertThrows(IllegalArgumentException.class, () -> session("{\"depth\":25}")).getMessage());
        assertEquals("width: expected a whole number in [1, 32], got 2.5",
                assertThrows(IllegalArgumentException.class, () -> session("{\"width\":2.5}")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> session("{\"activation\":\"swish\"}")).getMessage()
                .startsWith("activation: expected one of relu, leaky-relu, elu, gelu, silu, tanh, sigmoid, got"));
        assertNull(session("{\"batchSize\":1}").advance(1, 0).stopped(), "batch size 1 is fine without BatchNorm");
    }

    @Test
    void sessionsEvictTheLeastRecentlyUsed() {
        Sessions s = new Sessions(2);
        NetworkSession a = session("{\"points\":20,\"batchSize\":4}"), b = session("{\"points\":20,\"batchSize\":4}");
        s.put("aaaaaaaa", a);
        s.put("bbbbbbbb", b);
        s.get("aaaaaaaa");
        s.put("cccccccc", session("{\"points\":20,\"batchSize\":4}"));
        assertEquals(a, s.get("aaaaaaaa"));
        assertNull(s.get("bbbbbbbb"));
        assertEquals(2, s.size());
    }
}
