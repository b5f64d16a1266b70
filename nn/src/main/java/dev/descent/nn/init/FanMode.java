package dev.descent.nn.init;

/**
 * Which fan {@link Init#kaimingUniform} and {@link Init#kaimingNormal} scale by, as PyTorch's {@code mode} argument:
 * {@code FAN_IN} preserves the variance of activations in the forward pass, {@code FAN_OUT} that of gradients in the
 * backward pass.
 */
public enum FanMode {
    FAN_IN,
    FAN_OUT
}
