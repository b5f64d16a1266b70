package dev.descent.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Anomaly mode names the user's line (the first frame outside the descent library, even when the caller shares a
 * package with it, as this test does) and the open scopes.
 */
class AnomalyLocationTest {

    @Test
    void theLocationIsTheCallersLineNotALibraryFrame() {
        Tensor x = Tensor.vector(1, -1).requiresGrad(true);
        try (Tape tape = Tape.record().detectAnomalies()) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> x.clamp(-2, 2).sqrt());
            assertTrue(e.getMessage().contains("recorded at dev.descent.core.AnomalyLocationTest"), e.getMessage());
            assertTrue(e.getMessage().contains("AnomalyLocationTest.java:"), e.getMessage());
        }
    }

    @Test
    void jdkFramesBetweenTheLibraryAndTheCallerAreSkipped() {
        Tensor x = Tensor.vector(1, -1).requiresGrad(true);
        try (Tape tape = Tape.record().detectAnomalies()) {
            ArithmeticException e = assertThrows(ArithmeticException.class,
                    () -> java.util.List.of(x).forEach(Tensor::log));
            assertTrue(e.getMessage().contains("recorded at dev.descent.core.AnomalyLocationTest"), e.getMessage());
        }
    }

    @Test
    void openScopesAreNamedAsADottedPathWithTheInnermostKind() {
        Tensor x = Tensor.vector(1, -1).requiresGrad(true);
        try (Tape tape = Tape.record().detectAnomalies();
             Tape.Scope outer = Tape.scope("encoder", null);
             Tape.Scope inner = Tape.scope("3", "Attention")) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> x.log());
            assertTrue(e.getMessage().contains("in encoder.3 (Attention)"), e.getMessage());
        }
        try (Tape tape = Tape.record().detectAnomalies()) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> x.log());
            assertFalse(e.getMessage().contains("encoder"), "closed scopes are gone: " + e.getMessage());
        }
    }

    @Test
    void scopesCloseInnermostFirst() {
        Tape.Scope outer = Tape.scope("a", null);
        Tape.Scope inner = Tape.scope("b", null);
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("innermost first"), e.getMessage());
        inner.close();
        outer.close();
    }
}
