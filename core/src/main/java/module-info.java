/**
 * descent's core: float64 tensors, the reverse-mode tape, the gradient checker and the double[] kernels.
 *
 * <p>The module requires {@code jdk.incubator.vector}, so on the module path the Vector API kernels are active without
 * any flag; on the class path this descriptor is ignored, and without {@code --add-modules jdk.incubator.vector} the
 * kernels fall back to scalar code with one warning ({@link dev.descent.core.kernel.Kernels}).
 */
module dev.descent.core {
    requires jdk.incubator.vector;

    exports dev.descent.core;
    exports dev.descent.core.kernel;
}
