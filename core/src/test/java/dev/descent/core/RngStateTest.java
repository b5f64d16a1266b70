package dev.descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A generator saved as tensors and restored in place continues its stream, so every holder of it does. */
class RngStateTest {
    @Test
    void restoringInPlaceContinuesTheStreamForEveryHolder() {
        Rng saved = new Rng(-7);
        saved.nextLong();
        Map<String, Tensor> state = saved.stateTensors();
        long expected = saved.nextLong();
        Rng shared = new Rng(3); // as held by a Dropout layer: the same object must continue
        shared.loadStateTensors(state);
        assertEquals(expected, shared.nextLong());
    }

    @Test
    void aBadStateIsRefusedAndChangesNothing() {
        Rng rng = new Rng(1);
        long[] before = rng.state();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rng.loadStateTensors(Map.of("state", Tensor.vector(1, 2, 3, 4, 5, 6, 7, 4294967296.0))));
        assertEquals("Rng: 'state' element 7 must be an integer in [0, 2^32), got 4.294967296E9", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rng.loadStateTensors(Map.of("state", Tensor.zeros(8))));
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(rng.state()));
    }
}
