package dev.descent.examples;

import dev.descent.core.GradCheck;
import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * Gradient checking as a tool: every op against finite differences, the error of a finite difference against its
 * step (the U-curve), and a wrong backward rule caught in the act.
 */
final class GradCheckDemo implements Demo {

    /** One op to check: a name, the function and its inputs. */
    record Probe(String name, GradCheck.Fn fn, Tensor... inputs) {}

    /** The result of checking one op, first and second derivatives. */
    record Row(String name, int entries, double worstDifference, double ratio, boolean passed, boolean secondPassed) {}

    @Override
    public String name() {
        return "gradcheck";
    }

    static List<Probe> probes(Rng rng) {
        Tensor a = Tensor.uniform(rng, -2, 2, 3, 4), b = Tensor.uniform(rng, -2, 2, 4);
        Tensor pos = Tensor.uniform(rng, 0.5, 2, 3, 4), nz = Tensor.uniform(rng, 0.5, 2, 4);
        Tensor m = Tensor.uniform(rng, -1, 1, 4, 5), v = Tensor.uniform(rng, -1, 1, 3, 4);
        // kinks (0 for relu/abs, ties for max) are kept away from the probes
        Tensor away = a.add(a.gt(0).sub(0.5).mul(0.4));
        Tensor index = Tensor.of(new double[] {3, 0, 2}, 3, 1);
        List<Probe> p = new ArrayList<>();
        p.add(new Probe("add (broadcast)", in -> in[0].add(in[1]).square().sum(), a, b));
        p.add(new Probe("sub (broadcast)", in -> in[0].sub(in[1]).square().sum(), a, b));
        p.add(new Probe("mul (broadcast)", in -> in[0].mul(in[1]), a, b));
        p.add(new Probe("div (broadcast)", in -> in[0].div(in[1]), a, nz));
        p.add(new Probe("pow (tensor exponent)", in -> in[0].pow(in[1]), pos, b));
        p.add(new Probe("pow (scalar exponent)", in -> in[0].pow(2.5), pos));
        p.add(new Probe("maximum", in -> in[0].maximum(in[1]), away, Tensor.zeros(4)));
        p.add(new Probe("clamp", in -> in[0].clamp(-1, 1), away));
        p.add(new Probe("where", in -> Tensor.where(in[0].gt(0), in[0].square(), in[1]), away, b));
        for (String f : List.of("exp", "sin", "cos", "tanh", "sigmoid", "erf", "gelu", "softplus", "silu", "square", "neg")) {
            p.add(new Probe(f, in -> unary(f, in[0]), a));
        }
        p.add(new Probe("log", in -> in[0].log(), pos));
        p.add(new Probe("sqrt", in -> in[0].sqrt(), pos));
        p.add(new Probe("abs", in -> in[0].abs(), away));
        p.add(new Probe("relu", in -> in[0].relu(), away));
        p.add(new Probe("leakyRelu", in -> in[0].leakyRelu(0.01), away));
        p.add(new Probe("elu", in -> in[0].elu(1.0), away));
        p.add(new Probe("sum (axis)", in -> in[0].sum(1, false).square(), a));
        p.add(new Probe("mean (axis)", in -> in[0].mean(0, true).square(), a));
        p.add(new Probe("max (axis)", in -> in[0].max(1, false), a));
        p.add(new Probe("logSumExp", in -> in[0].logSumExp(1, false), a));
        p.add(new Probe("softmax", in -> in[0].softmax(1).mul(v), a));
        p.add(new Probe("logSoftmax", in -> in[0].logSoftmax(1).mul(v), a));
        p.add(new Probe("reshape", in -> in[0].reshape(2, 6).square(), a));
        p.add(new Probe("permute", in -> in[0].t().mul(v.t()), a));
        p.add(new Probe("broadcastTo", in -> in[0].broadcastTo(3, 4).mul(v), b));
        p.add(new Probe("concat", in -> Tensor.concat(0, in[0], in[1].unsqueeze(0)).square(), a, b));
        p.add(new Probe("slice", in -> in[0].slice(1, 1, 3).square(), a));
        p.add(new Probe("indexSelect", in -> in[0].indexSelect(1, 0, 0, 3).square(), a));
        p.add(new Probe("gather", in -> in[0].gather(1, index).square(), a));
        p.add(new Probe("matmul", in -> in[0].matmul(in[1]).tanh(), a, m));
        p.add(new Probe("linear", in -> Tensor.linear(in[0], in[1], in[2]).tanh(), a, m.t(), Tensor.uniform(rng, -1, 1, 5)));
        return p;
    }

    private static Tensor unary(String f, Tensor x) {
        return switch (f) {
            case "exp" -> x.exp();
            case "sin" -> x.sin();
            case "cos" -> x.cos();
            case "tanh" -> x.tanh();
            case "sigmoid" -> x.sigmoid();
            case "erf" -> x.erf();
            case "gelu" -> x.gelu();
            case "softplus" -> x.softplus();
            case "silu" -> x.silu();
            case "square" -> x.square();
            case "neg" -> x.neg();
            default -> throw new IllegalArgumentException(f);
        };
    }

    static List<Row> checkAll(long seed, Progress progress) {
        List<Row> rows = new ArrayList<>();
        List<Probe> probes = probes(new Rng(seed));
        progress.total(probes.size());
        for (Probe p : probes) {
            GradCheck.Report first = GradCheck.check(p.fn(), p.inputs());
            GradCheck.Report second = GradCheck.gradGradCheck(p.fn(), p.inputs());
            rows.add(new Row(p.name(), first.checked(), Math.abs(first.analytic() - first.numeric()), first.ratio(), first.passed(),
                    second.passed()));
            progress.step();
        }
        return rows;
    }

    /** f(x) = sum(exp(x) tanh(x)), whose finite differences show both error regimes clearly. */
    static final GradCheck.Fn CURVE_FN = in -> in[0].exp().mul(in[0].tanh()).sum();

    @Override
    public Section run(long seed, Path dir, Progress progress) throws Exception {
        List<Row> rows = checkAll(seed, progress);
        StringBuilder md = new StringBuilder();
        long passed = rows.stream().filter(r -> r.passed() && r.secondPassed()).count();
        md.append("All ").append(rows.size()).append(" ops checked; ").append(passed)
                .append(" pass both the first- and second-derivative checks (eps 1e-6, atol 1e-5, rtol 1e-3, as PyTorch).\n\n");
        md.append("| op | Jacobian entries | worst abs(analytic − numeric) | share of the allowance | 1st | 2nd |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append(String.format("| %s | %d | %.2e | %.2e | %s | %s |%n", r.name(), r.entries(), r.worstDifference(), r.ratio(),
                    r.passed() ? "pass" : "FAIL", r.secondPassed() ? "pass" : "FAIL"));
        }

        // The U-curve: truncation error ~ h^2 falls as h shrinks, round-off ~ eps_machine / h grows.
        Tensor x = Tensor.vector(0.7);
        GradCheck.Sweep sweep = GradCheck.sweep(CURVE_FN, x);
        double[] hs = sweep.points().stream().mapToDouble(GradCheck.SweepPoint::eps).toArray();
        double[] errs = sweep.points().stream().mapToDouble(p -> Math.max(p.maxAbsError(), 1e-17)).toArray();
        int best = sweep.points().indexOf(sweep.best());
        XYChart chart = Charts.chart("Central-difference error of d/dx exp(x)·tanh(x) at x = 0.7", "step h", "|numeric − analytic|", true, true);
        Charts.line(chart, "error", hs, errs);
        chart.getStyler().setYAxisMax(3 * java.util.Arrays.stream(errs).max().orElse(1));
        Charts.points(chart, String.format("best h = %.0e", hs[best]), new double[] {hs[best]}, new double[] {errs[best]});
        double defaultH = GradCheck.Tolerance.DEFAULT.eps(), top = 3 * java.util.Arrays.stream(errs).max().orElse(1);
        Charts.line(chart, String.format("GradCheck's default h = %.0e", defaultH), new double[] {defaultH, defaultH},
                new double[] {java.util.Arrays.stream(errs).min().orElse(1e-17) / 3, top}).setLineStyle(Charts.DASHED);
        Path curve = Charts.save(chart, dir, "gradcheck-error-vs-h");
        md.append("\nFinite-difference error against the step h for d/dx exp(x)·tanh(x) at x = 0.7:\n\n| h | error |\n|---|---|\n");
        for (int i = 0; i < hs.length; i++) md.append(String.format("| %.0e | %.2e |%n", hs[i], errs[i]));
        md.append(String.format("%nThe error bottoms out at h = %.0e (error %.1e): larger steps suffer truncation error "
                + "(falling as h²), smaller ones round-off (growing as 1/h).%n", hs[best], errs[best]));

        // A backward rule with a bug: sigmoid's derivative without its (1 - σ) factor.
        GradCheck.Fn wrong = in -> Tensor.custom("sigmoidWithBug", in[0].detach().sigmoid(), in,
                g -> new Tensor[] {g.mul(in[0].sigmoid())});
        GradCheck.Report caught = GradCheck.check(wrong, Tensor.vector(-1.0, 0.5, 2.0));
        md.append("\nA custom op whose backward rule forgets the (1 − σ) factor of sigmoid's derivative:\n\n```\n")
                .append(caught).append("\n```\n");
        GradCheck.Report kink = GradCheck.check(in -> in[0].relu(), Tensor.vector(0.0, 1.0));
        md.append("\nProbing relu exactly at its kink, where finite differences see the average of the two slopes:\n\n```\n")
                .append(kink).append("\n```\n");
        return new Section("Gradient checking",
                "Every op's backward rule agrees with central finite differences, and the chart shows why the step "
                        + "h = 1e-6 is a good default: the error of a finite difference is smallest where truncation and round-off balance. "
                        + "The last two reports show a wrong rule being caught and a probe at a kink being flagged.",
                md.toString(), List.of(curve), List.of(String.format("Finite-difference error against the step h: from the right it falls as h² "
                        + "(truncation), from the left it grows as 1/h (round-off); the bottom is at h = %.0e, and GradCheck's default "
                        + "h = %.0e (dashed) sits next to it.", hs[best], defaultH)));
    }
}
