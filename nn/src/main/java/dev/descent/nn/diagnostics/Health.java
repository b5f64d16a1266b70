package dev.descent.nn.diagnostics;

/** The verdict of {@link GradientFlow} on one layer; the thresholds are documented there. */
public enum Health {
    HEALTHY,
    VANISHING,
    EXPLODING,
    DEAD
}
