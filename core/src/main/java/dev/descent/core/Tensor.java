package dev.descent.core;

import dev.descent.core.kernel.Elementwise;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A dense, row-major float64 tensor of any rank (scalars have shape {@code []}), and the handle through which every
 * differentiable operation is called.
 *
 * <p>A tensor is a <em>constant</em> or it {@linkplain #requiresGrad() requires grad}. Leaves that require grad are
 * the variables of a model; ops computed from them inside an open {@link Tape} are recorded and their outputs require
 * grad too. {@link Tape#backward} accumulates into the {@link #grad()} of leaves.
 *
 * <p>Binary ops follow NumPy broadcasting. Shapes are checked eagerly and errors name the op and both shapes.
 * Non-smooth points follow PyTorch's conventions, stated per op.
 *
 * <p>{@link #reshape} and {@link #detach} return views that share data (and the in-place version counter) with
 * their source; every other op returns a new tensor.
 */
public final class Tensor {
    /** In-place modification counter, shared by a tensor and its views. */
    private static final class Version {
        int value;
    }

    /**
     * The values; null while this tensor is a {@linkplain #filled pending fill}, until {@link #data()} is called.
     * Read with acquire and set by {@link #materialize} with release ({@link #DATA}), so that threads reading a fill
     * at once all see the one filled array it made; not volatile, because a volatile store in the constructor costs
     * every new tensor a full fence on x86 (recording and differentiating scalar ops got 8 % faster without it).
     */
    private double[] data;
    /** The value of every element of a pending fill (unused otherwise). */
    private final double fill;
    private final int[] shape;
    private final int size;
    private final Version version;
    private boolean requiresGrad;
    private Tensor grad;
    private Node node;

    private static final VarHandle DATA;

    static {
        try {
            DATA = MethodHandles.lookup().findVarHandle(Tensor.class, "data", double[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Tensor(double[] data, int[] shape) {
        this(data, shape, new Version());
    }

    private Tensor(double[] data, int[] shape, Version version) {
        this.data = data;
        this.fill = 0;
        this.shape = shape;
        this.size = Shapes.size(shape);
        this.version = version;
        if (data.length < size) {
            throw new IllegalArgumentException("shape " + Shapes.str(shape) + " needs " + size + " values, got " + data.length);
        }
    }

    private Tensor(double fill, int[] shape) {
        this.fill = fill;
        this.shape = shape;
        this.size = Shapes.size(shape);
        this.version = new Version();
    }

    /**
     * A tensor of {@code shape} whose every element is {@code value}, its array allocated and filled only when
     * {@link #data()} is first called. Ops that can use the value as a broadcast scalar ({@link #pendingFill()})
     * never materialise it, as PyTorch's {@code expand} never copies: the gradient of a sum, handed to a product's
     * backward, then costs one read of the other factor instead of a fill and two reads.
     */
    static Tensor filled(double value, int[] shape) {
        return new Tensor(value, shape);
    }

    /** Whether this is a {@linkplain #filled fill} whose array does not exist yet (every element is {@link #fillValue()}). */
    boolean pendingFill() {
        return DATA.getAcquire(this) == null;
    }

    /** The value of every element of a {@linkplain #pendingFill() pending fill}. */
    double fillValue() {
        return fill;
    }

    // ================================================================ creation

    /** A tensor holding a copy of {@code values} with the given shape (row-major). */
    public static Tensor of(double[] values, int... shape) {
        int[] s = Shapes.checked("Tensor.of", shape);
        int n = Shapes.size(s);
        if (values.length != n) {
            throw new IllegalArgumentException("Tensor.of: shape " + Shapes.str(s) + " needs " + n + " values, got " + values.length);
        }
        return new Tensor(values.clone(), s);
    }

    /** A rank-1 tensor of the given values. */
    public static Tensor vector(double... values) {
        return new Tensor(values.clone(), new int[] {values.length});
    }

    /** A rank-2 tensor from rows of equal length. */
    public static Tensor matrix(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] d = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("Tensor.matrix: row " + i + " has " + rows[i].length + " values, expected " + cols);
            }
            System.arraycopy(rows[i], 0, d, i * cols, cols);
        }
        return new Tensor(d, new int[] {rows.length, cols});
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(double value) {
        return new Tensor(new double[] {value}, Shapes.SCALAR);
    }

    public static Tensor zeros(int... shape) {
        int[] s = Shapes.checked("Tensor.zeros", shape);
        return new Tensor(new double[Shapes.size(s)], s);
    }

    public static Tensor ones(int... shape) {
        return full(1.0, shape);
    }

    public static Tensor full(double value, int... shape) {
        int[] s = Shapes.checked("Tensor.full", shape);
        double[] d = new double[Shapes.size(s)];
        Arrays.fill(d, value);
        return new Tensor(d, s);
    }

    /** 0, 1, ..., n-1 as a rank-1 tensor. */
    public static Tensor arange(int n) {
        if (n < 0) throw new IllegalArgumentException("Tensor.arange: n must be non-negative, got " + n);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return new Tensor(d, new int[] {n});
    }

    /** Uniform samples in [lo, hi). */
    public static Tensor uniform(Rng rng, double lo, double hi, int... shape) {
        Tensor t = zeros(shape);
        rng.fillUniform(t.data(), lo, hi);
        return t;
    }

    /** Normal samples with the given mean and standard deviation. */
    public static Tensor normal(Rng rng, double mean, double std, int... shape) {
        Tensor t = zeros(shape);
        rng.fillNormal(t.data(), mean, std);
        return t;
    }

    /** A tensor of zeros with this tensor's shape. */
    public Tensor zerosLike() {
        return new Tensor(new double[size], shape);
    }

    /** A constant copy of this tensor's values (no graph, own data). */
    public Tensor copy() {
        return new Tensor(Arrays.copyOf(data(), size), shape);
    }

    // ================================================================ inspection

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    int[] shapeRef() {
        return shape;
    }

    /** The size of dimension {@code axis} (negative counts from the end). */
    public int shape(int axis) {
        return shape[Shapes.axis("shape", axis, shape.length)];
    }

    /** The rank (number of dimensions). */
    public int dim() {
        return shape.length;
    }

    /** The number of elements. */
    public int size() {
        return size;
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (size != 1) throw new IllegalStateException("item: expected a tensor with one element, got shape " + Shapes.str(shape));
        return data()[0];
    }

    /** The element at a full index. */
    public double get(int... index) {
        return data()[flatIndex("get", index)];
    }

    /** The values as a new row-major array. */
    public double[] toArray() {
        return Arrays.copyOf(data(), size);
    }

    /**
     * The live backing array (row-major; views share it). For kernels and optimizers that update in place: whoever
     * writes to it must call {@link #markModified()} so that recorded ops that saved this tensor notice.
     */
    public double[] data() {
        double[] d = (double[]) DATA.getAcquire(this);
        return d != null ? d : materialize();
    }

    private synchronized double[] materialize() {
        double[] d = data;
        if (d == null) {
            d = new double[size];
            Arrays.fill(d, fill);
            DATA.setRelease(this, d);
        }
        return d;
    }

    private int flatIndex(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": expected " + shape.length + " indices for shape " + Shapes.str(shape)
                    + ", got " + index.length);
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException(op + ": index " + Arrays.toString(index) + " is out of bounds for shape " + Shapes.str(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor");
        sb.append(Shapes.str(shape)).append(' ');
        format(sb, 0, 0);
        if (requiresGrad) sb.append(node == null ? " (requires grad)" : " (grad fn: " + node.op + ")");
        return sb.toString();
    }

    private int format(StringBuilder sb, int axis, int offset) {
        if (axis == shape.length) {
            sb.append(data()[offset]);
            return offset + 1;
        }
        sb.append('[');
        int limit = Math.min(shape[axis], 8);
        for (int i = 0; i < limit; i++) {
            if (i > 0) sb.append(", ");
            offset = format(sb, axis + 1, offset);
        }
        if (shape[axis] > limit) {
            sb.append(", ...");
            int stride = 1;
            for (int d = axis + 1; d < shape.length; d++) stride *= shape[d];
            offset += (shape[axis] - limit) * stride;
        }
        sb.append(']');
        return offset;
    }

    // ================================================================ autodiff state

    /** Whether this tensor is a variable: a leaf marked for gradients, or the recorded output of one. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks this leaf as a variable (or a constant again). Returns this tensor. */
    public Tensor requiresGrad(boolean flag) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad: only leaves can be marked; this tensor was computed by '" + node.op
                    + "' (use detach() to get a leaf)");
        }
        this.requiresGrad = flag;
        return this;
    }

    /** True for tensors not computed by a recorded op. */
    public boolean isLeaf() {
        return node == null;
    }

    /** The gradient accumulated by {@link Tape#backward}, or null when none has been. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the accumulated gradient (null clears it). Its shape must equal this tensor's. */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient of shape " + Shapes.str(g.shape) + " for a tensor of shape " + Shapes.str(shape));
        }
        this.grad = g;
    }

    /** Sets the accumulated gradient to zeros in place (keeping its buffer), or does nothing when there is none. */
    public void zeroGrad() {
        if (grad != null) {
            if (grad.requiresGrad) grad = grad.detach().copy();
            grad.fill(0.0);
        }
    }

    /** A view of the same data (and version counter) with another shape of equal size. */
    Tensor shareAs(int[] newShape) {
        return new Tensor(data(), newShape, version);
    }

    /** A view of the same data that is a constant: no graph, never requires grad. */
    public Tensor detach() {
        return new Tensor(data(), shape, version);
    }

    /** The in-place version counter (shared by views). */
    public int version() {
        return version.value;
    }

    /** Records that the data was changed in place through {@link #data()}. */
    public void markModified() {
        version.value++;
    }

    Node node() {
        return node;
    }

    void attach(Node n) {
        this.node = n;
        this.requiresGrad = true;
    }

    void accumulateGrad(Tensor g, boolean owned, boolean createGraph) {
        if (grad == null) {
            grad = owned || createGraph ? g : g.copy();
        } else if (createGraph || grad.requiresGrad) {
            grad = grad.add(g);
        } else {
            grad.addInPlaceUnchecked(g);
        }
    }

    /** this += g for equal shapes, without version bump (for gradient buffers only). */
    void addInPlaceUnchecked(Tensor g) {
        Elementwise.axpy(1.0, g.data(), 0, data(), 0, size);
    }

    // ================================================================ in-place updates (not recorded)

    /** Sets one element. Not recorded; bumps the version. */
    public Tensor set(double value, int... index) {
        data()[flatIndex("set", index)] = value;
        markModified();
        return this;
    }

    /** Sets every element. Not recorded; bumps the version. */
    public Tensor fill(double value) {
        Arrays.fill(data(), 0, size, value);
        markModified();
        return this;
    }

    /** Copies the values of a tensor of the same shape into this one. Not recorded; bumps the version. */
    public Tensor copyFrom(Tensor src) {
        if (!Arrays.equals(src.shape, shape)) {
            throw new IllegalArgumentException("copyFrom: source shape " + Shapes.str(src.shape) + " differs from " + Shapes.str(shape));
        }
        System.arraycopy(src.data(), 0, data(), 0, size);
        markModified();
        return this;
    }

    /** this += alpha * other for a tensor of the same shape. Not recorded; bumps the version. */
    public Tensor addInPlace(double alpha, Tensor other) {
        if (!Arrays.equals(other.shape, shape)) {
            throw new IllegalArgumentException("addInPlace: shape " + Shapes.str(other.shape) + " differs from " + Shapes.str(shape));
        }
        Elementwise.axpy(alpha, other.data(), 0, data(), 0, size);
        markModified();
        return this;
    }

    // ================================================================ arithmetic (broadcasting)

    /** this + other. */
    public Tensor add(Tensor other) { return Pointwise.add(this, other); }
    public Tensor add(double c) { return Pointwise.add(this, scalar(c)); }
    /** this - other. */
    public Tensor sub(Tensor other) { return Pointwise.sub(this, other); }
    public Tensor sub(double c) { return Pointwise.sub(this, scalar(c)); }
    /** this * other, elementwise. */
    public Tensor mul(Tensor other) { return Pointwise.mul(this, other); }
    public Tensor mul(double c) { return Pointwise.mul(this, scalar(c)); }
    /** this / other, elementwise. */
    public Tensor div(Tensor other) { return Pointwise.div(this, other); }
    public Tensor div(double c) { return Pointwise.div(this, scalar(c)); }
    /**
     * this ^ exponent, elementwise, with C99's and PyTorch's special values: 1 ^ y = 1 for every y (NaN and infinities
     * included), (-1) ^ (+-inf) = 1, x ^ 0 = 1 for every x (NaN included). d/d this = exponent · this ^ (exponent - 1),
     * taken as 0 where exponent == 0; d/d exponent is taken as 0 where this == 0 and exponent &gt;= 0 (PyTorch).
     */
    public Tensor pow(Tensor exponent) { return Pointwise.pow(this, exponent); }
    /** this ^ p, with the special values of {@link #pow(Tensor)}; the gradient is 0 where p == 0 (PyTorch). */
    public Tensor pow(double p) { return Pointwise.powScalar(this, p); }
    /**
     * Elementwise maximum; at ties each side gets half the gradient; NaN in either operand gives NaN, and then both
     * operands get the whole gradient (PyTorch).
     */
    public Tensor maximum(Tensor other) { return Pointwise.maximum(this, other); }
    /**
     * Elementwise minimum; at ties each side gets half the gradient; NaN in either operand gives NaN, and then both
     * operands get the whole gradient (PyTorch).
     */
    public Tensor minimum(Tensor other) { return Pointwise.minimum(this, other); }
    /** Clamps into [lo, hi] (use infinities for one-sided); gradient 1 where {@code lo <= x <= hi}, else 0 (PyTorch). */
    public Tensor clamp(double lo, double hi) { return Pointwise.clamp(this, lo, hi); }

    /** {@code cond ? a : b} elementwise with broadcasting; cond is a constant (nonzero means true). */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Pointwise.where(cond, a, b); }

    /** 1 where this > other, else 0. A constant. */
    public Tensor gt(Tensor other) { return Pointwise.compare(Pointwise.GT, this, other); }
    public Tensor gt(double c) { return gt(scalar(c)); }
    /** 1 where {@code this < other}, else 0. A constant. */
    public Tensor lt(Tensor other) { return Pointwise.compare(Pointwise.LT, this, other); }
    public Tensor lt(double c) { return lt(scalar(c)); }
    /** 1 where this >= other, else 0. A constant. */
    public Tensor ge(Tensor other) { return Pointwise.compare(Pointwise.GE, this, other); }
    public Tensor ge(double c) { return ge(scalar(c)); }
    /** 1 where {@code this <= other}, else 0. A constant. */
    public Tensor le(Tensor other) { return Pointwise.compare(Pointwise.LE, this, other); }
    public Tensor le(double c) { return le(scalar(c)); }
    /** 1 where this == other, else 0. A constant. */
    public Tensor eq(Tensor other) { return Pointwise.compare(Pointwise.EQ, this, other); }
    public Tensor eq(double c) { return eq(scalar(c)); }

    // ================================================================ elementwise functions

    public Tensor neg() { return Pointwise.unary(Pointwise.Fn.NEG, this); }
    public Tensor exp() { return Pointwise.unary(Pointwise.Fn.EXP, this); }
    /** Natural logarithm. */
    public Tensor log() { return Pointwise.unary(Pointwise.Fn.LOG, this); }
    public Tensor sqrt() { return Pointwise.unary(Pointwise.Fn.SQRT, this); }
    /** this * this. */
    public Tensor square() { return Pointwise.unary(Pointwise.Fn.SQUARE, this); }
    /** |x|; the gradient at 0 is 0 (PyTorch). */
    public Tensor abs() { return Pointwise.unary(Pointwise.Fn.ABS, this); }
    public Tensor sin() { return Pointwise.unary(Pointwise.Fn.SIN, this); }
    public Tensor cos() { return Pointwise.unary(Pointwise.Fn.COS, this); }
    /** The error function. */
    public Tensor erf() { return Pointwise.unary(Pointwise.Fn.ERF, this); }
    /** 1 / (1 + e^-x). */
    public Tensor sigmoid() { return Pointwise.unary(Pointwise.Fn.SIGMOID, this); }
    public Tensor tanh() { return Pointwise.unary(Pointwise.Fn.TANH, this); }
    /** max(x, 0), NaN at NaN; the gradient is 0 where x &lt;= 0 and 1 elsewhere, so 0 at 0 and 1 at NaN (PyTorch). */
    public Tensor relu() { return Pointwise.unary(Pointwise.Fn.RELU, this); }
    /** x for x &gt; 0, slope * x otherwise; the gradient at 0 and at NaN is slope (PyTorch). */
    public Tensor leakyRelu(double slope) { return Pointwise.leakyRelu(this, slope); }
    /** x for x &gt; 0, alpha (e^x - 1) otherwise, NaN at NaN; the gradient at 0 is alpha, at NaN 1 (PyTorch). */
    public Tensor elu(double alpha) { return Pointwise.elu(this, alpha); }
    /** The exact GELU, x Φ(x), with Φ the standard normal CDF (PyTorch's default, approximate='none'). */
    public Tensor gelu() { return Pointwise.unary(Pointwise.Fn.GELU, this); }
    /** log(1 + e^x), computed stably; its derivative is sigmoid(x). */
    public Tensor softplus() { return Activations.softplus(this, 1, 20); }
    /** x sigmoid(x) (also called swish). */
    public Tensor silu() { return mul(sigmoid()); }

    // ================================================================ reductions

    /** The sum of all elements, a scalar. */
    public Tensor sum() { return Reductions.sum(this, new int[0], false); }
    public Tensor sum(int axis, boolean keepDims) { return Reductions.sum(this, new int[] {axis}, keepDims); }
    public Tensor sum(int[] axes, boolean keepDims) { return Reductions.sum(this, axes, keepDims); }
    /** The mean of all elements, a scalar. */
    public Tensor mean() { return Reductions.mean(this, new int[0], false); }
    public Tensor mean(int axis, boolean keepDims) { return Reductions.mean(this, new int[] {axis}, keepDims); }
    public Tensor mean(int[] axes, boolean keepDims) { return Reductions.mean(this, axes, keepDims); }
    /** The maximum of all elements; ties share the gradient evenly (PyTorch's amax). NaN propagates. */
    public Tensor max() { return Reductions.max(this, new int[0], false); }
    public Tensor max(int axis, boolean keepDims) { return Reductions.max(this, new int[] {axis}, keepDims); }
    public Tensor max(int[] axes, boolean keepDims) { return Reductions.max(this, axes, keepDims); }
    /** The minimum of all elements; ties share the gradient evenly (PyTorch's amin). NaN propagates. */
    public Tensor min() { return neg().max().neg(); }
    public Tensor min(int axis, boolean keepDims) { return neg().max(axis, keepDims).neg(); }
    /** log(sum(exp(x))) over the axis, computed stably. */
    public Tensor logSumExp(int axis, boolean keepDims) { return Reductions.logSumExp(this, new int[] {axis}, keepDims); }
    public Tensor logSumExp(int[] axes, boolean keepDims) { return Reductions.logSumExp(this, axes, keepDims); }
    /** x - logSumExp(x) along the axis. */
    public Tensor logSoftmax(int axis) { return Reductions.logSoftmax(this, axis); }
    /** exp(x) / sum(exp(x)) along the axis, computed stably. */
    public Tensor softmax(int axis) { return Reductions.softmax(this, axis); }

    // ================================================================ shape

    /** The same data with a new shape of equal size; one dimension may be -1 (inferred). A view. */
    public Tensor reshape(int... newShape) { return Structural.reshape(this, newShape); }
    /** Same as {@link #reshape}: tensors are always contiguous, so every view is a reshape. */
    public Tensor view(int... newShape) { return Structural.reshape(this, newShape); }
    /** Inserts a dimension of size 1 at {@code axis}. */
    public Tensor unsqueeze(int axis) { return Structural.unsqueeze(this, axis); }
    /** Removes a dimension of size 1 at {@code axis}. */
    public Tensor squeeze(int axis) { return Structural.squeeze(this, axis); }
    /** Reorders the dimensions: output dimension i is input dimension dims[i]. */
    public Tensor permute(int... dims) { return Structural.permute(this, dims); }
    /** Swaps two dimensions. */
    public Tensor transpose(int a, int b) { return Structural.transpose(this, a, b); }
    /** The transpose of a matrix (swaps the last two dimensions). */
    public Tensor t() { return Structural.transpose(this, -2, -1); }
    /** Broadcasts to a larger shape (NumPy rules), copying. */
    public Tensor broadcastTo(int... target) { return Structural.broadcastTo(this, target); }
    /** Sums broadcast dimensions away so that the result has {@code target} shape: the adjoint of broadcastTo. */
    public Tensor sumTo(int... target) { return Structural.sumTo(this, target); }
    /** Joins tensors along an existing axis. */
    public static Tensor concat(int axis, Tensor... parts) { return Structural.concat(axis, parts); }
    /** Joins tensors of equal shape along a new axis. */
    public static Tensor stack(int axis, Tensor... parts) { return Structural.stack(axis, parts); }
    /** The elements start (inclusive) to end (exclusive) along an axis; negative bounds count from the end. */
    public Tensor slice(int axis, int start, int end) { return Structural.slice(this, axis, start, end); }
    /**
     * {@code n} consecutive parts along an axis, each {@code ceil(length / n)} long but the last, as {@code torch.chunk}:
     * one op with an output per part, whose backward concatenates the parts' gradients once, in {@code O(size)}.
     */
    public Tensor[] chunk(int n, int axis) { return Structural.chunk(this, n, axis); }
    /** The slices at every index of an axis, with that axis removed, as {@code torch.unbind} (one op, as {@link #chunk}). */
    public Tensor[] unbind(int axis) { return Structural.unbind(this, axis); }
    /** The entries at the given indices along an axis (repeats allowed). */
    public Tensor indexSelect(int axis, int... indices) { return Structural.indexSelect(this, axis, indices); }
    /**
     * out[i][j] = this[i][index[i][j]] (for axis 1; likewise for any axis): index holds integral values, has this
     * tensor's rank and is no larger in the other dimensions. Used for picking class scores.
     */
    public Tensor gather(int axis, Tensor index) { return Structural.gather(this, axis, index); }

    // ================================================================ user-defined ops

    /**
     * A user-defined differentiable op, as PyTorch's {@code autograd.Function}: {@code value} is the forward result
     * (computed by the caller from the inputs' values), {@code backward} maps the output's gradient to one gradient
     * per input (null for none). Write the rule with tensor ops and it can be differentiated again. Check it with
     * {@link GradCheck}.
     */
    public static Tensor custom(String name, Tensor value, Tensor[] inputs, java.util.function.Function<Tensor, Tensor[]> backward) {
        Tensor out = new Tensor(value.toArray(), value.shape);
        Tensor[] in = inputs.clone();
        Tape.record(name, out, in, in, g -> {
            Tensor[] gs = backward.apply(g);
            if (gs == null || gs.length != in.length) {
                throw new IllegalStateException("custom op '" + name + "': backward returned " + (gs == null ? "null" : gs.length + " gradients")
                        + ", expected " + in.length + " (one per input, null for none)");
            }
            return gs;
        });
        return out;
    }

    // ================================================================ linear algebra

    /**
     * Matrix product with NumPy/PyTorch semantics: 2-D × 2-D, batched ([..., m, k] × [..., k, n] with broadcast batch
     * dimensions), and 1-D operands treated as a row (left) or column (right) vector and then squeezed.
     */
    public Tensor matmul(Tensor other) { return LinearAlgebra.matmul(this, other); }

    /** x · weightᵀ + bias, as PyTorch's {@code F.linear}; x is [..., in], weight [out, in], bias [out] or null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) { return LinearAlgebra.linear(x, weight, bias, null); }

    /**
     * {@link #linear(Tensor, Tensor, Tensor)} for a weight used in many calls in a row, such as a recurrent layer's
     * {@code W_hh} at every step: {@code weightT} is {@code weightᵀ} as a plain tensor ({@code [in, out]}, made once
     * with {@code weight.detach().t()}), which the product reads as it is instead of transposing {@code weight} at
     * every call. The values are those of {@code linear(x, weight, bias)} (to the last bit when {@code in <= 256}) as
     * long as {@code weightT} holds {@code weight}'s transpose, and so are the gradients: {@code weight} gets its
     * gradient, {@code weightT} none.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, Tensor weightT) {
        if (weightT == null) throw new IllegalArgumentException("linear: the transposed weight is null; use linear(x, weight, bias)");
        return LinearAlgebra.linear(x, weight, bias, weightT);
    }

    // ================================================================ convolution

    /**
     * 2-D cross-correlation, as PyTorch's {@code F.conv2d} with stride 1, no padding, dilation 1 and one group; see
     * {@link #conv2d(Tensor, Tensor, Conv2dOptions)}.
     */
    public Tensor conv2d(Tensor weight, Tensor bias) { return Convolution.conv2d(this, weight, bias, Conv2dOptions.DEFAULT); }

    /**
     * 2-D cross-correlation, as PyTorch's {@code F.conv2d}: this is [N, C, H, W] (or unbatched [C, H, W]), weight
     * [O, C / groups, kH, kW], bias [O] or null, and the result [N, O, H', W'] with
     * {@code out[n][o][y][x] = bias[o] + sum over c, i, j of weight[o][c][i][j] * in[n][g + c][y sH - pH + i dH][x sW - pW + j dW]}
     * (zero outside the input; g is the first channel of o's group) and
     * {@code H' = floor((H + 2 pH - dH (kH - 1) - 1) / sH) + 1}, likewise W'. Runs as im2col and a packed matrix product.
     * Its input gradient is {@link #convTranspose2d} and its weight gradient a convolution of the input with the
     * output gradient, both recorded ops, so it can be differentiated to any order.
     */
    public Tensor conv2d(Tensor weight, Tensor bias, Conv2dOptions options) { return Convolution.conv2d(this, weight, bias, options); }

    /** 1-D cross-correlation with stride 1, no padding, dilation 1 and one group; see {@link #conv1d(Tensor, Tensor, int, int, int, int)}. */
    public Tensor conv1d(Tensor weight, Tensor bias) { return Convolution.conv1d(this, weight, bias, 1, 0, 1, 1); }

    /**
     * 1-D cross-correlation, as PyTorch's {@code F.conv1d}: this is [N, C, L] (or [C, L]), weight [O, C / groups, k],
     * bias [O] or null; the result is [N, O, L'] with {@code L' = floor((L + 2 padding - dilation (k - 1) - 1) / stride) + 1}.
     * It is {@link #conv2d(Tensor, Tensor, Conv2dOptions)} over images of height 1.
     */
    public Tensor conv1d(Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return Convolution.conv1d(this, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * The transposed 2-D convolution, as PyTorch's {@code F.conv_transpose2d}: the adjoint (input gradient) of
     * {@link #conv2d(Tensor, Tensor, Conv2dOptions)} with the same weight. This is [N, Cin, H, W] (or [Cin, H, W]),
     * weight [Cin, Cout / groups, kH, kW], bias [Cout] or null; the result is [N, Cout, H', W'] with
     * {@code H' = (H - 1) sH - 2 pH + dH (kH - 1) + outputPaddingH + 1}, likewise W'. The output padding (smaller than
     * the stride or the dilation) picks among the input sizes that conv2d maps to the same output size.
     */
    public Tensor convTranspose2d(Tensor weight, Tensor bias, Conv2dOptions options, int outputPaddingH, int outputPaddingW) {
        return Convolution.convTranspose2d(this, weight, bias, options, outputPaddingH, outputPaddingW);
    }

    // ================================================================ pooling

    /**
     * 2-D max pooling, as PyTorch's {@code F.max_pool2d}, over [N, C, H, W] or [C, H, W]: each output is the maximum of
     * its window (padding counts as -infinity), {@code H' = floor((H + 2 pH - dH (kH - 1) - 1) / sH) + 1} (rounded up
     * in ceil mode, where a last window must start inside the input or its left padding). The gradient goes to the
     * maximum's position; at ties to the first in row-major window order, and NaN wins, as PyTorch's CPU kernel.
     */
    public Tensor maxPool2d(Pool2dOptions options) { return Pooling.maxPool2d(this, options).values(); }

    /** {@link #maxPool2d} and the flat in-plane index of each maximum (PyTorch's {@code return_indices=True}). */
    public MaxPool2dResult maxPool2dWithIndices(Pool2dOptions options) { return Pooling.maxPool2d(this, options); }

    /**
     * 2-D average pooling, as PyTorch's {@code F.avg_pool2d} (no dilation): each output is the sum of its window
     * divided by the window's size clipped to the padded input ({@code countIncludePad}, PyTorch's default) or by the
     * number of input elements it covers.
     */
    public Tensor avgPool2d(Pool2dOptions options, boolean countIncludePad) { return Pooling.avgPool2d(this, options, countIncludePad); }

    /**
     * Adaptive average pooling to an {@code outH x outW} output, as PyTorch's {@code F.adaptive_avg_pool2d}: output
     * (i, j) averages rows {@code [floor(i H / outH), ceil((i + 1) H / outH))} and likewise columns.
     */
    public Tensor adaptiveAvgPool2d(int outH, int outW) { return Pooling.adaptiveAvgPool2d(this, outH, outW); }

    /** Adaptive max pooling over the windows of {@link #adaptiveAvgPool2d}; ties and NaN as {@link #maxPool2d}. */
    public Tensor adaptiveMaxPool2d(int outH, int outW) { return Pooling.adaptiveMaxPool2d(this, outH, outW).values(); }

    /** {@link #adaptiveMaxPool2d} and the flat in-plane index of each maximum. */
    public MaxPool2dResult adaptiveMaxPool2dWithIndices(int outH, int outW) { return Pooling.adaptiveMaxPool2d(this, outH, outW); }
    // ================================================================ normalisation

    /**
     * Batch normalisation, as PyTorch's {@code F.batch_norm}: input {@code [N, C]} or {@code [N, C, *]}; per channel
     * {@code y = (x − mean) / √(var + eps) · weight + bias} (weight, bias {@code [C]} or null). In training the mean
     * and <em>biased</em> variance are those of the batch (over N and the spatial dims), and non-null running
     * buffers are updated in place, {@code running = (1 − momentum)·running + momentum·batch}, with the
     * <em>unbiased</em> variance; otherwise the running statistics are used. One fused op each way (see
     * {@code Normalization}); second derivatives work.
     *
     * @throws IllegalArgumentException for a rank below 2, parameters or buffers not of shape {@code [C]}, eval
     *                                  without running statistics, or one value per channel in training
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return Normalization.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /**
     * Layer normalisation, as PyTorch's {@code F.layer_norm}: each sample is standardised over the trailing
     * {@code normalizedShape} dims with the biased variance, then {@code ·weight + bias} (both of
     * {@code normalizedShape}, or null). One fused op each way; second derivatives work.
     */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Normalization.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    /**
     * Group normalisation (Wu and He, 2018), as PyTorch's {@code F.group_norm}: input {@code [N, C, *]}; each sample's
     * channels are split into {@code numGroups} groups of {@code C / numGroups}, each standardised over its channels
     * and spatial dims with the biased variance, then {@code ·weight + bias} per channel ({@code [C]}, or null).
     */
    public static Tensor groupNorm(Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
        return Normalization.groupNorm(input, numGroups, weight, bias, eps);
    }

    // ================================================================ recurrent cells

    /**
     * The pointwise part of a tanh Elman cell, as PyTorch's {@code nn.RNNCell} (and {@code torch.rnn_tanh_cell}) after
     * its two matrix products: from the input projection {@code gi = x·W_ihᵀ + b_ih} and the hidden projection
     * {@code gh = h·W_hhᵀ + b_hh} (both {@code [*, H]}), {@code h' = tanh(gi + gh)}. One fused op each way, with the
     * values of {@code gi.add(gh).tanh()} to the bit; second derivatives work.
     *
     * @throws IllegalArgumentException unless {@code gi} and {@code gh} have the same shape, of at least one dimension
     */
    public static Tensor rnnTanhCell(Tensor gi, Tensor gh) { return RecurrentCells.rnnCell("rnnTanhCell", Pointwise.Fn.TANH, gi, gh); }

    /**
     * The pointwise part of a relu Elman cell, as PyTorch's {@code nn.RNNCell(nonlinearity='relu')} (and
     * {@code torch.rnn_relu_cell}) after its two matrix products: {@code h' = relu(gi + gh)} for projections {@code gi},
     * {@code gh} of one shape {@code [*, H]}, with relu'(0) = 0 as PyTorch. One fused op each way, with the values of
     * {@code gi.add(gh).relu()} to the bit; second derivatives work.
     *
     * @throws IllegalArgumentException unless {@code gi} and {@code gh} have the same shape, of at least one dimension
     */
    public static Tensor rnnReluCell(Tensor gi, Tensor gh) { return RecurrentCells.rnnCell("rnnReluCell", Pointwise.Fn.RELU, gi, gh); }

    /**
     * The pointwise part of an LSTM cell, as PyTorch's {@code nn.LSTMCell} after its two matrix products: from the input
     * projection {@code gi = x·W_ihᵀ + b_ih} and the hidden projection {@code gh = h·W_hhᵀ + b_hh} (both
     * {@code [*, 4·H]}; their sum holds the gate pre-activations i, f, g, o in PyTorch's order) and the cell state
     * {@code c [*, H]},
     * <pre>
     *   i, f, g, o = the four blocks of gh + gi
     *   c' = sigmoid(f) * c + sigmoid(i) * tanh(g)
     *   h' = sigmoid(o) * tanh(c')
     * </pre>
     * returned as {@code {h', c'}}. One fused op each way (one tape node for both outputs), with the values of that
     * composed formula to the bit; second derivatives work.
     *
     * @throws IllegalArgumentException unless {@code gi} and {@code gh} have the same shape, whose last dim is 4 times
     *                                  that of {@code c} and the others equal to its
     */
    public static Tensor[] lstmCell(Tensor gi, Tensor gh, Tensor c) { return RecurrentCells.lstmCell(gi, gh, c); }

    /**
     * The pointwise part of a GRU cell, as PyTorch's {@code nn.GRUCell} after its two matrix products: from the input
     * projection {@code gi = x·W_ihᵀ + b_ih} and the hidden projection {@code gh = h·W_hhᵀ + b_hh} (both
     * {@code [*, 3·H]}, blocks r, z, n in PyTorch's order) and the hidden state {@code h [*, H]},
     * <pre>
     *   r = sigmoid(gi_r + gh_r),  z = sigmoid(gi_z + gh_z),  n = tanh(gi_n + r * gh_n)
     *   h' = (h − n) * z + n       (that is, (1 − z) * n + z * h)
     * </pre>
     * One fused op each way, with the values of that composed formula to the bit; second derivatives work.
     *
     * @throws IllegalArgumentException unless {@code gi} and {@code gh} have the same shape, whose last dim is 3 times
     *                                  that of {@code h} and the others equal to its
     */
    public static Tensor gruCell(Tensor gi, Tensor gh, Tensor h) { return RecurrentCells.gruCell(gi, gh, h); }

    // ================================================================ selection by index

    /**
     * The maximum along {@code dim} and where it is, as {@code torch.max(x, dim, keepdim)}: ties resolve to the first
     * occurrence and NaN counts as the maximum (the first NaN wins), as PyTorch on CPU. The gradient flows to the
     * selected element only (unlike {@link #max(int, boolean)}, which shares it among ties).
     */
    public ValuesAndIndices maxWithIndices(int dim, boolean keepDim) { return IndexOps.extreme("max", this, dim, keepDim, true); }
    /** The minimum along {@code dim} and where it is, as {@code torch.min(x, dim, keepdim)}; conventions as {@link #maxWithIndices}. */
    public ValuesAndIndices minWithIndices(int dim, boolean keepDim) { return IndexOps.extreme("min", this, dim, keepDim, false); }
    /** The index of the maximum along {@code dim}, as {@code torch.argmax}: first occurrence at ties, NaN is the maximum. A constant. */
    public Tensor argmax(int dim, boolean keepDim) { return IndexOps.argExtreme("argmax", this, dim, keepDim, true); }
    /** The index of the minimum along {@code dim}, as {@code torch.argmin}: first occurrence at ties, NaN is the minimum. A constant. */
    public Tensor argmin(int dim, boolean keepDim) { return IndexOps.argExtreme("argmin", this, dim, keepDim, false); }
    /** The flat (row-major) index of the maximum of all elements, a scalar, as {@code torch.argmax(x)}. */
    public Tensor argmax() { return IndexOps.argExtremeFlat("argmax", this, true); }
    /** The flat (row-major) index of the minimum of all elements, a scalar, as {@code torch.argmin(x)}. */
    public Tensor argmin() { return IndexOps.argExtremeFlat("argmin", this, false); }

    /**
     * Embedding lookup, as {@code F.embedding(indices, weight)}: rows of {@code weight [V, D]} at the integral
     * {@code indices} of any shape, giving {@code [*indices.shape, D]}. The gradient adds into the picked rows, so
     * repeated indices accumulate; its own backward is a row selection, so second derivatives work.
     *
     * @throws IllegalArgumentException for an index that is not an integer in [0, V)
     */
    public static Tensor embedding(Tensor indices, Tensor weight) { return IndexOps.embedding(indices, weight, IndexOps.NO_PADDING); }
    /** As {@link #embedding(Tensor, Tensor)}, but rows picked by {@code paddingIdx} (negative counts from the end) get no gradient. */
    public static Tensor embedding(Tensor indices, Tensor weight, int paddingIdx) { return IndexOps.embedding(indices, weight, paddingIdx); }

    // ================================================================ activations with options

    /** GELU with PyTorch's {@code approximate}: {@code "none"} is {@link #gelu()}, {@code "tanh"} the tanh approximation. */
    public Tensor gelu(String approximate) {
        return switch (approximate) {
            case "none" -> gelu();
            case "tanh" -> Activations.geluTanh(this);
            default -> throw new IllegalArgumentException("gelu: expected approximate 'none' or 'tanh', got '" + approximate + "'");
        };
    }
    /** {@code log(1 + e^(βx))/β}, and x itself where {@code βx > threshold} (PyTorch's softplus); {@link #softplus()} is β 1, threshold 20. */
    public Tensor softplus(double beta, double threshold) { return Activations.softplus(this, beta, threshold); }
    /** Clamps into [minVal, maxVal]; the gradient is 1 strictly inside, 0 on the bounds (PyTorch; unlike {@link #clamp}). */
    public Tensor hardtanh(double minVal, double maxVal) { return Activations.hardtanh(this, minVal, maxVal); }
    /** {@code x·relu6(x + 3)/6}; gradient {@code (2x + 3)/6} on [−3, 3] including the bounds (PyTorch). */
    public Tensor hardswish() { return Activations.hardswish(this); }
    /** {@code x·tanh(softplus(x))} (Misra, 2019), composed. */
    public Tensor mish() { return mul(softplus().tanh()); }
    /** {@code scale·elu(x, alpha)} with PyTorch's constants (Klambauer et al., 2017), composed; the gradient at 0 is scale·alpha. */
    public Tensor selu() { return elu(SELU_ALPHA).mul(SELU_SCALE); }
    /** {@code max(0, x) + min(0, alpha·(e^(x/alpha) − 1))} = {@code alpha·elu(x/alpha, 1)} (Barron, 2017), composed. */
    public Tensor celu(double alpha) {
        if (alpha == 0) throw new IllegalArgumentException("celu: alpha must not be 0");
        return div(alpha).elu(1).mul(alpha);
    }
    /** {@code log σ(x)}, exact for any x; the gradient is σ(−x). */
    public Tensor logSigmoid() { return Activations.logSigmoid(this); }
    /** {@code x / (1 + |x|)}, composed. */
    public Tensor softsign() { return div(abs().add(1)); }

    private static final double SELU_ALPHA = 1.6732632423543772848170429916717, SELU_SCALE = 1.0507009873554804934193349852946;
}
