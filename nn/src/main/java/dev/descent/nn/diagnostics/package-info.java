/**
 * Training diagnostics: {@link dev.descent.nn.diagnostics.GradientFlow} follows gradient norms, activation statistics
 * and update sizes layer by layer and labels each layer vanishing, exploding, dead or healthy.
 */
package dev.descent.nn.diagnostics;
