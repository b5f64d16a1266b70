package dev.descent.core;

import dev.descent.core.kernel.Elementwise;
import dev.descent.core.kernel.Parallel;
import java.util.Arrays;

/** Elementwise ops: broadcasting binary arithmetic, comparisons, where, and unary functions, with their backward rules. */
final class Pointwise {
    private Pointwise() {}

    static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, POW = 4, MAX = 5, MIN = 6;
    static final int GT = 10, LT = 11, GE = 12, LE = 13, EQ = 14;
    private static final String[] NAMES = {"add", "sub", "mul", "div", "pow", "maximum", "minimum", "", "", "",
            "gt", "lt", "ge", "le", "eq"};

    // ---------------------------------------------------------------- broadcasting forward

    /** Computes a op b with broadcasting into a new constant tensor. */
    static Tensor binary(int op, Tensor a, Tensor b) {
        int[] as = a.shapeRef(), bs = b.shapeRef();
        if (Arrays.equals(as, bs)) {
            // a pending fill (a sum's gradient) is read as one value, as a broadcast scalar: same bits, one stream less
            boolean fa = a.pendingFill(), fb = b.pendingFill();
            double[] x = fa ? new double[] {a.fillValue()} : a.data(), y = fb ? new double[] {b.fillValue()} : b.data();
            int xs = fa ? 0 : 1, ys = fb ? 0 : 1;
            double[] o = new double[a.size()];
            Parallel.forRange(o.length, Parallel.GRAIN, (from, to) -> apply(op, x, from * xs, xs, y, from * ys, ys, o, from, to - from));
            return new Tensor(o, as);
        }
        double[] x = a.data(), y = b.data();
        int[] shape = Shapes.broadcast(NAMES[op], as, bs);
        double[] o = new double[Shapes.size(shape)];
        int[] sa = Shapes.broadcastStrides(as, shape), sb = Shapes.broadcastStrides(bs, shape);
        int n = Shapes.inner(shape), ia = Shapes.innerStride(sa), ib = Shapes.innerStride(sb);
        int[] out = {0};
        Shapes.rows(shape, sa, sb, null, (oa, ob, unused) -> {
            apply(op, x, oa, ia, y, ob, ib, o, out[0], n);
            out[0] += n;
        });
        return new Tensor(o, shape);
    }

    private static void apply(int op, double[] x, int xo, int xs, double[] y, int yo, int ys, double[] o, int oo, int n) {
        if (xs == 1 && ys == 1) {
            switch (op) {
                case ADD -> { Elementwise.add(x, xo, y, yo, o, oo, n); return; }
                case SUB -> { Elementwise.sub(x, xo, y, yo, o, oo, n); return; }
                case MUL -> { Elementwise.mul(x, xo, y, yo, o, oo, n); return; }
                case DIV -> { Elementwise.div(x, xo, y, yo, o, oo, n); return; }
                default -> { }
            }
        } else if (xs == 1 && ys == 0) {
            switch (op) {
                case ADD -> { Elementwise.addScalar(y[yo], x, xo, o, oo, n); return; }
                case MUL -> { Elementwise.scale(y[yo], x, xo, o, oo, n); return; }
                default -> { }
            }
        } else if (xs == 0 && ys == 1) {
            switch (op) { // both commute in IEEE arithmetic
                case ADD -> { Elementwise.addScalar(x[xo], y, yo, o, oo, n); return; }
                case MUL -> { Elementwise.scale(x[xo], y, yo, o, oo, n); return; }
                default -> { }
            }
        }
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i * xs] + y[yo + i * ys]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i * xs] - y[yo + i * ys]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i * xs] * y[yo + i * ys]; }
            case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i * xs] / y[yo + i * ys]; }
            case POW -> { for (int i = 0; i < n; i++) o[oo + i] = pow(x[xo + i * xs], y[yo + i * ys]); }
            case MAX -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[xo + i * xs], y[yo + i * ys]); }
            case MIN -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(x[xo + i * xs], y[yo + i * ys]); }
            case GT -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i * xs] > y[yo + i * ys] ? 1 : 0; }
            case LT -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i * xs] < y[yo + i * ys] ? 1 : 0; }
            case GE -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i * xs] >= y[yo + i * ys] ? 1 : 0; }
            case LE -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i * xs] <= y[yo + i * ys] ? 1 : 0; }
            case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i * xs] == y[yo + i * ys] ? 1 : 0; }
            default -> throw new AssertionError(op);
        }
    }

    /**
     * C99's (and PyTorch's) pow, which differs from {@link Math#pow} in two places: pow(1, y) = 1 for every y, NaN and
     * infinities included, and pow(-1, +-inf) = 1. (pow(x, 0) = 1 for every x, NaN included, in both.)
     */
    static double pow(double x, double y) {
        return x == 1 || (x == -1 && Double.isInfinite(y)) ? 1 : Math.pow(x, y);
    }

    /**
     * {@code g} where {@code x > c} or {@code x} is NaN, and 0 where {@code x <= c}, in one pass: relu's backward
     * (PyTorch's threshold_backward), without a mask tensor. Recorded as linear in {@code g} (its backward is the same
     * selection of the incoming gradient); {@code x} only selects, so it gets no gradient.
     */
    static Tensor thresholdBackward(Tensor g, Tensor x, double c) {
        if (!Arrays.equals(g.shapeRef(), x.shapeRef())) {
            throw new IllegalArgumentException("thresholdBackward: expected a gradient of the input's shape " + Shapes.str(x.shapeRef())
                    + ", got " + Shapes.str(g.shapeRef()));
        }
        Tensor out = Tape.resultFor(g, x.shapeRef());
        double[] gd = g.data(), xd = x.data(), o = out.data();
        Parallel.forRange(o.length, Parallel.GRAIN, (from, to) -> Elementwise.threshold(xd, from, c, gd, from, o, from, to - from));
        Tape.record("thresholdBackward", out, new Tensor[] {g}, Tape.NOTHING_SAVED, h -> new Tensor[] {thresholdBackward(h, x, c)});
        return out;
    }

    /**
     * The backward of an activation whose derivative is a function of its output y: {@code g · f'(y)} in one pass, and
     * {@code f''(y)} for differentiating that again.
     */
    private enum OutputDerivative {
        /** tanh' = 1 − y², tanh'' (as a function of y, times dy) = −2y. */
        TANH("tanhBackward") {
            double first(double y) { return 1 - y * y; }
            Tensor second(Tensor y) { return y.mul(-2); }
        },
        /** σ' = y (1 − y), and d/dy of it is 1 − 2y. */
        SIGMOID("sigmoidBackward") {
            double first(double y) { return y * (1 - y); }
            Tensor second(Tensor y) { return y.mul(-2).add(1); }
        };

        final String op;

        OutputDerivative(String op) {
            this.op = op;
        }

        abstract double first(double y);

        abstract Tensor second(Tensor y);
    }

    /**
     * {@code g · f'(y)} for an activation output y, in one pass (the same rounding as the composed ops: 1 − y² and
     * y (1 − y) are formed first, then multiplied by g). Recorded: its gradient is {@code h · f'(y)} for g (this op
     * again) and {@code h · g · f''(y)} for y, so second derivatives flow through y to the activation's input.
     */
    private static Tensor outputBackward(OutputDerivative f, Tensor g, Tensor y) {
        Tensor out = Tape.resultFor(g, y.shapeRef());
        double[] gd = g.data(), yd = y.data(), o = out.data();
        Parallel.forRange(o.length, Parallel.GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) o[i] = gd[i] * f.first(yd[i]);
        });
        Tape.record(f.op, out, new Tensor[] {g, y}, new Tensor[] {g, y}, h -> new Tensor[] {
                g.requiresGrad() ? outputBackward(f, h, y) : null,
                y.requiresGrad() ? h.mul(g).mul(f.second(y)) : null});
        return out;
    }

    // ---------------------------------------------------------------- arithmetic

    static Tensor add(Tensor a, Tensor b) {
        Tensor out = binary(ADD, a, b);
        Tape.record("add", out, new Tensor[] {a, b}, Tape.NOTHING_SAVED,
                g -> new Tensor[] {g.sumTo(a.shapeRef()), g.sumTo(b.shapeRef())});
        return out;
    }

    static Tensor sub(Tensor a, Tensor b) {
        Tensor out = binary(SUB, a, b);
        Tape.record("sub", out, new Tensor[] {a, b}, Tape.NOTHING_SAVED,
                g -> new Tensor[] {g.sumTo(a.shapeRef()), b.requiresGrad() ? g.neg().sumTo(b.shapeRef()) : null});
        return out;
    }

    static Tensor mul(Tensor a, Tensor b) {
        Tensor out = binary(MUL, a, b);
        Tape.record("mul", out, new Tensor[] {a, b}, new Tensor[] {a, b}, g -> {
            if (g.pendingFill() && g.fillValue() == 1 && Tape.plainBackward() && Arrays.equals(a.shapeRef(), b.shapeRef())
                    && Arrays.equals(g.shapeRef(), a.shapeRef())) {
                // The gradient of sum(a·b): 1·b is b and 1·a is a, bit for bit, so the factors themselves (not new,
                // so not marked fresh: nothing writes into them, and a leaf's grad gets a copy)
                return new Tensor[] {a.requiresGrad() ? b : null, b.requiresGrad() ? a : null};
            }
            // b's first, so that a's, the last use of g, may be written into it
            Tensor gb = b.requiresGrad() ? product(g, a, b, !a.requiresGrad()) : null;
            Tensor ga = a.requiresGrad() ? product(g, b, a, true) : null;
            return Tape.fresh(new Tensor[] {ga, gb}); // new tensors, or g where the tape let this rule overwrite it
        });
        return out;
    }

    /**
     * The gradient {@code (g · other)} summed to {@code target}'s shape, written into {@code g} itself when
     * {@code lastUse} and the tape lets the running rule overwrite it ({@link Tape#overwritable}) and no broadcast is
     * involved. A pending fill ({@link Tensor#filled}) is not materialised to be overwritten: {@code g · other} then
     * reads it as one value.
     */
    private static Tensor product(Tensor g, Tensor other, Tensor target, boolean lastUse) {
        int[] gs = g.shapeRef();
        if (lastUse && !g.pendingFill() && Tape.overwritable(g) && Arrays.equals(gs, other.shapeRef()) && Arrays.equals(gs, target.shapeRef())) {
            double[] gd = g.data(), od = other.data();
            Parallel.forRange(gd.length, Parallel.GRAIN, (from, to) -> Elementwise.mul(gd, from, od, from, gd, from, to - from));
            return g;
        }
        return g.mul(other).sumTo(target.shapeRef());
    }

    static Tensor div(Tensor a, Tensor b) {
        Tensor out = binary(DIV, a, b);
        Tape.record("div", out, new Tensor[] {a, b}, new Tensor[] {a, b}, g -> new Tensor[] {
                a.requiresGrad() ? g.div(b).sumTo(a.shapeRef()) : null,
                b.requiresGrad() ? g.mul(a).div(b.square()).neg().sumTo(b.shapeRef()) : null});
        return out;
    }

    static Tensor pow(Tensor a, Tensor b) {
        Tensor out = binary(POW, a, b);
        Tape.record("pow", out, new Tensor[] {a, b}, new Tensor[] {a, b}, g -> {
            Tensor zero = Tensor.scalar(0);
            Tensor ga = null, gb = null;
            if (a.requiresGrad()) {
                // d/da a^b = b a^(b-1), taken as 0 where b == 0 (PyTorch's pow_backward_self)
                Tensor d = b.mul(a.pow(b.sub(1)));
                ga = Tensor.where(b.eq(0), zero, g.mul(d)).sumTo(a.shapeRef());
            }
            if (b.requiresGrad()) {
                // d/db a^b = a^b log a, taken as 0 where a == 0 and b >= 0 (PyTorch's pow_backward_exponent)
                Tensor mask = a.eq(0).mul(b.ge(0));
                Tensor safeA = Tensor.where(mask, Tensor.scalar(1), a);
                gb = Tensor.where(mask, zero, g.mul(a.pow(b)).mul(safeA.log())).sumTo(b.shapeRef());
            }
            return new Tensor[] {ga, gb};
        });
        return out;
    }

    static Tensor powScalar(Tensor a, double p) {
        double[] x = a.data(), o = new double[a.size()];
        for (int i = 0; i < o.length; i++) o[i] = pow(x[i], p);
        Tensor out = new Tensor(o, a.shapeRef());
        Tape.record("pow", out, new Tensor[] {a}, new Tensor[] {a}, g -> new Tensor[] {
                p == 0 ? a.zerosLike() : g.mul(a.pow(p - 1).mul(p))});
        return out;
    }

    static Tensor maximum(Tensor a, Tensor b) {
        return extremum(MAX, a, b);
    }

    static Tensor minimum(Tensor a, Tensor b) {
        return extremum(MIN, a, b);
    }

    /**
     * max/min; the losing side gets no gradient, at ties each side gets half, and where an operand is NaN (the output
     * too) both get all of it, since neither lost a comparison (PyTorch's rule: mask where a &lt; b, resp. a &gt; b).
     */
    private static Tensor extremum(int op, Tensor a, Tensor b) {
        Tensor out = binary(op, a, b);
        Tape.record(NAMES[op], out, new Tensor[] {a, b}, new Tensor[] {a, b}, g -> {
            Tensor half = a.eq(b).mul(0.5);
            Tensor aLoses = op == MAX ? a.lt(b) : a.gt(b), bLoses = op == MAX ? a.gt(b) : a.lt(b);
            return new Tensor[] {
                    a.requiresGrad() ? g.mul(aLoses.add(half).neg().add(1)).sumTo(a.shapeRef()) : null,
                    b.requiresGrad() ? g.mul(bLoses.add(half).neg().add(1)).sumTo(b.shapeRef()) : null};
        });
        return out;
    }

    static Tensor compare(int op, Tensor a, Tensor b) {
        return binary(op, a, b);
    }

    static Tensor clamp(Tensor a, double lo, double hi) {
        if (lo > hi) throw new IllegalArgumentException("clamp: lower bound " + lo + " exceeds upper bound " + hi);
        double[] x = a.data(), o = new double[a.size()];
        for (int i = 0; i < o.length; i++) o[i] = Math.min(Math.max(x[i], lo), hi);
        Tensor out = new Tensor(o, a.shapeRef());
        Tape.record("clamp", out, new Tensor[] {a}, new Tensor[] {a},
                g -> new Tensor[] {g.mul(a.ge(lo).mul(a.le(hi)))});
        return out;
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.requiresGrad()) {
            // the condition is a selector, not a value: its gradient is undefined
            cond = cond.detach();
        }
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shapeRef(), a.shapeRef()), b.shapeRef());
        int[] sc = Shapes.broadcastStrides(cond.shapeRef(), shape), sa = Shapes.broadcastStrides(a.shapeRef(), shape),
                sb = Shapes.broadcastStrides(b.shapeRef(), shape);
        double[] c = cond.data(), x = a.data(), y = b.data(), o = new double[Shapes.size(shape)];
        int n = Shapes.inner(shape), ic = Shapes.innerStride(sc), ia = Shapes.innerStride(sa), ib = Shapes.innerStride(sb);
        int[] pos = {0};
        Shapes.rows(shape, sc, sa, sb, (oc, oa, ob) -> {
            int p = pos[0];
            for (int i = 0; i < n; i++) o[p + i] = c[oc + i * ic] != 0 ? x[oa + i * ia] : y[ob + i * ib];
            pos[0] += n;
        });
        Tensor out = new Tensor(o, shape);
        Tensor selector = cond;
        Tape.record("where", out, new Tensor[] {a, b}, Tape.NOTHING_SAVED, g -> {
            Tensor zero = Tensor.scalar(0);
            return new Tensor[] {
                    a.requiresGrad() ? Tensor.where(selector, g, zero).sumTo(a.shapeRef()) : null,
                    b.requiresGrad() ? Tensor.where(selector, zero, g).sumTo(b.shapeRef()) : null};
        });
        return out;
    }

    // ---------------------------------------------------------------- unary functions

    /** Unary elementwise functions: a forward loop each, and a backward rule in tensor ops. */
    enum Fn {
        NEG("neg") {
            void map(double[] x, double[] y, int from, int to) { for (int i = from; i < to; i++) y[i] = -x[i]; }
            Tensor grad(Tensor g, Tensor x, Tensor y) { return g.neg(); }
        },
        EXP("exp") {
            void map(double[] x, double[] y, int from, int to) { Elementwise.exp(x, from, y, from, to - from); }
            Tensor grad(Tensor g, Tensor x, Tensor y) { return g.mul(y); }
        },
        LOG("log") {
            void map(double[] x, double[] y, int from, int to) { for (int i = from; i < to; i++) y[i] = Math.log(x[i]); }
            Tensor grad(Tensor g, Tensor x, Tensor y) { return g.div(x); }
        },
        SQRT("sqrt") {
            void map(double[] x, double[] y, int from, int to) { for (int i = from; i < to; i++) y[i] = Math.sqrt(x[i]); }
            Tensor grad(Tensor g, Tensor x, Tensor y) { return g.div(y.mul(2)); }
        },
        SQUARE("square") {
            void map(double[] x, double[] y, int from, int to) { for (int i = from; i < to; i++) y[i] = x[i] * x[i]; }
            Tensor grad(Tensor g, Tensor x, Tensor y) { return g.mul(x.mul(2)); }
        },
        ABS("abs") {
            void map(double[] x, double[] y, int from, int to) { for (int i = from; i < to; i++) y[i] = Math.abs(x[i]); }
            Tensor grad(Tensor g, Tensor x, Tensor y) { return g.mul(x.gt(0).sub(x.lt(0))); }
        },
        SIN("sin") {
            void map(double[] x, double[] y, int from, int to) { for (int i = from; i < to; i++) y[i] = Math.sin(x[i]); }
            Tensor grad(Tensor g, Tensor x, Tensor y) { return g.mul(x.cos()); }
        },
        COS("cos") {
            void map(double[] x, double[] y, int from, int to) { for (int i = from; i < to; i++) y[i] = Math.cos(x[i]); }
            Tensor grad(Tensor g, Tensor x, Tensor y) { return g.mul(x.sin()).neg(); }
        },
        ERF("erf") {
            void map(double[] x, double[] y, int from, int to) { for (int i = from; i < to; i++) y[i] = SpecialFunctions.erf(x[i]); }
            Tensor grad(Tensor g, Tensor x, Tensor y) { return g.mul(x.square().neg().exp().mul(2 / Math.sqrt(Math.PI))); }
        },
        SIGMOID("sigmoid") {
            void map(double[] x, double[] y, int from, int to) { Elementwise.sigmoid(x, from, y, from, to - from); }
            Tensor grad(Tensor g, Tensor x, Tensor y) { return outputBackward(OutputDerivative.SIGMOID, g, y); }
        },
        TANH("tanh") {
            void map(double[] x, double[] y, int from, int to) { Elementwise.tanh(x, from, y, from, to - from); }
            Tensor grad(Tensor g, Tensor x, Tensor y) { return outputBackward(OutputDerivative.TANH, g, y); }
        },
        RELU("relu") {
            // Math.max keeps NaN (as PyTorch's relu does) and vectorises
            void map(double[] x, double[] y, int from, int to) { for (int i = from; i < to; i++) y[i] = Math.max(x[i], 0.0); }
            // 0 where x <= 0, so relu'(0) = 0 and relu'(NaN) = 1, as PyTorch's threshold_backward
            Tensor grad(Tensor g, Tensor x, Tensor y) { return thresholdBackward(g, x, 0); }
        },
        GELU("gelu") {
            void map(double[] x, double[] y, int from, int to) { for (int i = from; i < to; i++) y[i] = x[i] * SpecialFunctions.normalCdf(x[i]); }
            Tensor grad(Tensor g, Tensor x, Tensor y) {
                // d/dx x Φ(x) = Φ(x) + x φ(x)
                Tensor cdf = x.mul(1 / Math.sqrt(2)).erf().add(1).mul(0.5);
                Tensor pdf = x.square().mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI));
                return g.mul(cdf.add(x.mul(pdf)));
            }
        };

        final String op;

        Fn(String op) {
            this.op = op;
        }

        /** y[i] = f(x[i]) for from &lt;= i &lt; to. */
        abstract void map(double[] x, double[] y, int from, int to);

        abstract Tensor grad(Tensor g, Tensor x, Tensor y);
    }

    static Tensor unary(Fn fn, Tensor a) {
        double[] x = a.data(), o = new double[a.size()];
        Parallel.forRange(o.length, Parallel.GRAIN, (from, to) -> fn.map(x, o, from, to));
        Tensor out = new Tensor(o, a.shapeRef());
        // every rule's result is a new tensor, or g where the tape let the rule overwrite it
        Tape.record(fn.op, out, new Tensor[] {a}, new Tensor[] {a, out}, g -> Tape.fresh(new Tensor[] {fn.grad(g, a, out)}));
        return out;
    }

    static Tensor leakyRelu(Tensor a, double slope) {
        double[] x = a.data(), o = new double[a.size()];
        for (int i = 0; i < o.length; i++) o[i] = x[i] > 0 ? x[i] : slope * x[i];
        Tensor out = new Tensor(o, a.shapeRef());
        Tape.record("leakyRelu", out, new Tensor[] {a}, new Tensor[] {a},
                g -> new Tensor[] {g.mul(Tensor.where(a.gt(0), Tensor.scalar(1), Tensor.scalar(slope)))});
        return out;
    }

    static Tensor elu(Tensor a, double alpha) {
        double[] x = a.data(), o = new double[a.size()];
        for (int i = 0; i < o.length; i++) o[i] = x[i] > 0 ? x[i] : alpha * Math.expm1(x[i]);
        Tensor out = new Tensor(o, a.shapeRef());
        Tape.record("elu", out, new Tensor[] {a}, new Tensor[] {a}, g -> new Tensor[] {
                // alpha e^min(x,0) where x <= 0, so nothing large is exponentiated; 1 elsewhere, NaN included (PyTorch)
                g.mul(Tensor.where(a.le(0), a.clamp(Double.NEGATIVE_INFINITY, 0).exp().mul(alpha), Tensor.scalar(1)))});
        return out;
    }
}
