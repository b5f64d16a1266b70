package dev.descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Element counts are checked for overflow, so no shape can wrap around to a small or negative size. */
class ShapeOverflowTest {
    @Test
    void aShapeWhoseElementCountWrapsAroundIsRefused() {
        // 2^30 * 2^30 * 8 = 2^63 wraps a long to Long.MIN_VALUE; it once made a tensor of size 0
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1 << 30, 1 << 30, 8));
        assertEquals("shape [1073741824, 1073741824, 8] has more than 2147483647 elements (the product of its non-zero dimensions overflows); "
                + "at most 2147483647 are supported", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2147418113, 1718039348, 5));
    }

    @Test
    void anEmptyShapeMayNotHideAnOverflowingRest() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0, 1 << 30, 1 << 30));
        assertEquals(0, Tensor.zeros(0, 1 << 15, 1 << 15).size());
    }
}
