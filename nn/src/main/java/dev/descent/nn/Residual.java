package dev.descent.nn;

import dev.descent.core.Tensor;

/**
 * A residual connection (He et al., "Deep Residual Learning for Image Recognition", 2016): {@code y = body(x) + x}
 * with the identity shortcut, or {@code y = body(x) + shortcut(x)} with a projection (for example a bias-free
 * {@link Linear} when the widths differ). Children are named {@code body} and {@code shortcut}.
 */
public final class Residual extends Module {
    private final Module body;
    private final Module shortcut;

    /** The identity shortcut: {@code body} must keep its input's shape. */
    public Residual(Module body) {
        this.body = registerModule("body", body);
        this.shortcut = null;
    }

    /** A projection shortcut. */
    public Residual(Module body, Module shortcut) {
        this.body = registerModule("body", body);
        this.shortcut = registerModule("shortcut", shortcut);
    }

    @Override
    public Tensor forward(Tensor input) {
        return forwardChild(body, input).add(shortcut == null ? input : forwardChild(shortcut, input));
    }
}
