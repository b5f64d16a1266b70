package dev.descent.nn.diagnostics;

/**
 * What {@link GradientFlow} measured for one layer at one step.
 *
 * @param step           the index of the record, from 0
 * @param layer          the layer's name in the model ({@code 0}, {@code 2}, ...)
 * @param gradNorm       the L2 norm of the gradient of the layer's weight
 * @param gradToWeight   {@code gradNorm} divided by the norm of the weight (before the update)
 * @param gradRatio      {@code gradToWeight} divided by that of the last layer (the one nearest the loss)
 * @param activationMean the mean of the layer's activation (the output of the last module before the next layer)
 * @param activationStd  its standard deviation (biased)
 * @param deadFraction   the fraction of units that are never positive over the batch (0 unless the activation is a
 *                       ReLU)
 * @param updateRatio    ‖Δweight‖ / ‖weight‖ for the update made since the forward pass, or NaN if nothing changed
 * @param health         the verdict
 */
public record LayerStats(int step, String layer, double gradNorm, double gradToWeight, double gradRatio, double activationMean, double activationStd,
                         double deadFraction, double updateRatio, Health health) {}
