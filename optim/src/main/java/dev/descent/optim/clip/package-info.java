/**
 * Gradient clipping, applied to the gradients of any list of parameters between backward and
 * {@link dev.descent.optim.Optimizer#step()}, so it composes with every optimizer:
 * {@link dev.descent.optim.clip.Clip#clipGradNorm} and {@link dev.descent.optim.clip.Clip#clipGradValue}, with the
 * results of {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}, per-parameter norm clipping and
 * adaptive gradient clipping.
 */
package dev.descent.optim.clip;
