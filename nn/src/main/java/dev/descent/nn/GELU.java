package dev.descent.nn;

import dev.descent.core.Tensor;

/**
 * Elementwise GELU, as PyTorch's {@code nn.GELU}: {@code x·Φ(x)} with Φ the standard normal CDF (the exact, erf-based
 * form, {@code approximate = "none"}, the default), or its tanh approximation ({@code approximate = "tanh"}).
 */
public final class GELU extends Module {
    private final String approximate;

    /** The exact form (PyTorch's default). */
    public GELU() {
        this("none");
    }

    /** {@code "none"} or {@code "tanh"}. */
    public GELU(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("GELU: expected approximate 'none' or 'tanh', got '" + approximate + "'");
        }
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.gelu(approximate);
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
