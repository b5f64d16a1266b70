package dev.descent.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.IntRange;

/**
 * Backprop equals finite differences for every differentiable op, on generated shapes (broadcasting and size-1
 * dimensions included) and values in the op's smooth domain; second derivatives too for the smooth ops.
 */
class OpGradientProperties {

    static void passes(GradCheck.Fn f, Tensor... inputs) {
        GradCheck.Report r = GradCheck.check(f, inputs);
        assertTrue(r.passed(), r::toString);
    }

    static void passesTwice(GradCheck.Fn f, Tensor... inputs) {
        passes(f, inputs);
        GradCheck.Report r = GradCheck.gradGradCheck(f, inputs);
        assertTrue(r.passed(), () -> "second derivatives: " + r);
    }

    @Provide
    Arbitrary<int[][]> pairs() {
        return Gen.broadcastPairs();
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return Gen.shapes();
    }

    @Provide
    Arbitrary<int[]> nonScalar() {
        return Gen.nonScalarShapes();
    }

    // ---------------------------------------------------------------- broadcasting arithmetic

    @Property(tries = 25, seed = "101")
    void add(@ForAll("pairs") int[][] s, @ForAll long seed) {
        passesTwice(in -> in[0].add(in[1]), Gen.uniform(seed, -2, 2, s[0]), Gen.uniform(seed + 1, -2, 2, s[1]));
    }

    @Property(tries = 25, seed = "102")
    void sub(@ForAll("pairs") int[][] s, @ForAll long seed) {
        passesTwice(in -> in[0].sub(in[1]), Gen.uniform(seed, -2, 2, s[0]), Gen.uniform(seed + 1, -2, 2, s[1]));
    }

    @Property(tries = 25, seed = "103")
    void mul(@ForAll("pairs") int[][] s, @ForAll long seed) {
        passesTwice(in -> in[0].mul(in[1]), Gen.uniform(seed, -2, 2, s[0]), Gen.uniform(seed + 1, -2, 2, s[1]));
    }

    @Property(tries = 25, seed = "104")
    void div(@ForAll("pairs") int[][] s, @ForAll long seed) {
        passesTwice(in -> in[0].div(in[1]), Gen.uniform(seed, -2, 2, s[0]), Gen.awayFromZero(seed + 1, 0.5, s[1]));
    }

    @Property(tries = 25, seed = "105")
    void powWithTensorExponent(@ForAll("pairs") int[][] s, @ForAll long seed) {
        passesTwice(in -> in[0].pow(in[1]), Gen.uniform(seed, 0.5, 2, s[0]), Gen.uniform(seed + 1, -2, 2, s[1]));
    }

    @Property(tries = 25, seed = "106")
    void powWithScalarExponent(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll @IntRange(min = -3, max = 3) int p) {
        passesTwice(in -> in[0].pow(p + 0.5), Gen.uniform(seed, 0.5, 2, s));
    }

    @Property(tries = 25, seed = "107")
    void maximumAndMinimum(@ForAll("pairs") int[][] s, @ForAll long seed) {
        Tensor a = Gen.uniform(seed, 0.5, 1.5, s[0]);
        // b avoids a's range, so no probe meets a tie
        Tensor b = Gen.uniform(seed + 1, -1, 1, s[1]);
        double[] d = b.data();
        for (int i = 0; i < d.length; i++) d[i] = d[i] < 0 ? d[i] - 0.5 + 0 * i : d[i] + 2;
        passesTwice(in -> in[0].maximum(in[1]).add(in[0].minimum(in[1]).mul(3)), a, b);
    }

    @Property(tries = 25, seed = "108")
    void clamp(@ForAll("shapes") int[] s, @ForAll long seed) {
        Tensor x = Gen.uniform(seed, -3, 3, s);
        double[] d = x.data();
        for (int i = 0; i < d.length; i++) if (Math.abs(Math.abs(d[i]) - 1) < 0.05) d[i] += 0.1;
        passesTwice(in -> in[0].clamp(-1, 1).mul(in[0]), x);
    }

    @Property(tries = 25, seed = "109")
    void where(@ForAll("pairs") int[][] s, @ForAll long seed) {
        Tensor cond = Gen.uniform(seed + 2, -1, 1, s[0]).gt(0);
        passesTwice(in -> Tensor.where(cond, in[0].square(), in[1].mul(3)), Gen.uniform(seed, -2, 2, s[0]),
                Gen.uniform(seed + 1, -2, 2, s[1]));
    }

    // ---------------------------------------------------------------- unary functions

    @Property(tries = 20, seed = "201")
    void smoothUnaryFunctions(@ForAll("shapes") int[] s, @ForAll long seed) {
        Tensor x = Gen.uniform(seed, -2, 2, s);
        passesTwice(in -> in[0].neg(), x);
        passesTwice(in -> in[0].exp(), x);
        passesTwice(in -> in[0].square(), x);
        passesTwice(in -> in[0].erf(), x);
        passesTwice(in -> in[0].sin(), x);
        passesTwice(in -> in[0].cos(), x);
        passesTwice(in -> in[0].sigmoid(), x);
        passesTwice(in -> in[0].tanh(), x);
        passesTwice(in -> in[0].gelu(), x);
        passesTwice(in -> in[0].softplus(), x);
        passesTwice(in -> in[0].silu(), x);
    }

    @Property(tries = 20, seed = "202")
    void logAndSqrtOnPositives(@ForAll("shapes") int[] s, @ForAll long seed) {
        Tensor x = Gen.uniform(seed, 0.3, 3, s);
        passesTwice(in -> in[0].log(), x);
        passesTwice(in -> in[0].sqrt(), x);
    }

    @Property(tries = 20, seed = "203")
    void piecewiseFunctionsAwayFromTheirKinks(@ForAll("shapes") int[] s, @ForAll long seed) {
        Tensor x = Gen.awayFromZero(seed, 0.1, s);
        passesTwice(in -> in[0].abs(), x);
        passesTwice(in -> in[0].relu(), x);
        passesTwice(in -> in[0].leakyRelu(0.1), x);
        passesTwice(in -> in[0].elu(1.3), x);
    }

    // ---------------------------------------------------------------- reductions and softmax

    @Property(tries = 25, seed = "301")
    void sumAndMeanOverAxes(@ForAll("nonScalar") int[] s, @ForAll long seed, @ForAll boolean keep) {
        Tensor x = Gen.uniform(seed, -2, 2, s);
        int axis = (int) Math.floorMod(seed, s.length);
        passesTwice(in -> in[0].sum(axis, keep).square(), x);
        passesTwice(in -> in[0].mean(axis - s.length, keep).square(), x);
        passesTwice(in -> in[0].sum().square(), x);
        passesTwice(in -> in[0].mean(new int[] {}, keep).square(), x);
    }

    @Property(tries = 25, seed = "302")
    void maxAndMinOverAxes(@ForAll("nonScalar") int[] s, @ForAll long seed, @ForAll boolean keep) {
        Tensor x = Gen.distinct(seed, s);
        int axis = (int) Math.floorMod(seed, s.length);
        passesTwice(in -> in[0].max(axis, keep).square(), x);
        passesTwice(in -> in[0].min(axis, keep).square(), x);
        passesTwice(in -> in[0].max().square(), x);
    }

    @Property(tries = 25, seed = "303")
    void softmaxFamily(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        Tensor x = Gen.uniform(seed, -3, 3, s);
        Tensor w = Gen.uniform(seed + 1, -1, 1, s);
        int axis = (int) Math.floorMod(seed, s.length);
        passesTwice(in -> in[0].softmax(axis).mul(w), x);
        passesTwice(in -> in[0].logSoftmax(axis).mul(w), x);
        passesTwice(in -> in[0].logSumExp(axis, false), x);
        passesTwice(in -> in[0].logSumExp(new int[] {}, true), x);
    }

    // ---------------------------------------------------------------- structure

    @Property(tries = 25, seed = "401")
    void reshapeViewSqueeze(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        Tensor x = Gen.uniform(seed, -2, 2, s);
        Tensor w = Gen.uniform(seed + 1, -1, 1, x.size());
        passesTwice(in -> in[0].reshape(-1).mul(w), x);
        passesTwice(in -> in[0].view(x.size(), 1).unsqueeze(0).squeeze(0).square(), x);
    }

    @Property(tries = 25, seed = "402")
    void permuteAndTranspose(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        Tensor x = Gen.uniform(seed, -2, 2, s);
        int[] perm = new Rng(seed).permutation(s.length);
        Tensor wp = Gen.uniform(seed + 1, -1, 1, x.permute(perm).shape());
        passesTwice(in -> in[0].permute(perm).mul(wp), x);
        if (s.length >= 2) {
            Tensor wt = Gen.uniform(seed + 2, -1, 1, x.transpose(0, -1).shape());
            passesTwice(in -> in[0].transpose(0, -1).mul(wt), x);
            Tensor wm = Gen.uniform(seed + 3, -1, 1, x.t().shape());
            passesTwice(in -> in[0].t().mul(wm), x);
        }
    }

    @Property(tries = 25, seed = "403")
    void broadcastToAndSumTo(@ForAll("pairs") int[][] s, @ForAll long seed) {
        int[] big = Shapes.broadcast("test", s[0], s[1]);
        Tensor x = Gen.uniform(seed, -2, 2, s[0]);
        Tensor w = Gen.uniform(seed + 1, -1, 1, big);
        passesTwice(in -> in[0].broadcastTo(big).mul(w), x);
        Tensor y = Gen.uniform(seed + 2, -2, 2, big);
        Tensor v = Gen.uniform(seed + 3, -1, 1, s[0]);
        passesTwice(in -> in[0].sumTo(s[0]).mul(v), y);
    }

    @Property(tries = 25, seed = "404")
    void concatAndStack(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        int axis = (int) Math.floorMod(seed, s.length);
        int[] s2 = s.clone();
        s2[axis] = 1 + (int) Math.floorMod(seed >> 8, 3);
        Tensor a = Gen.uniform(seed, -2, 2, s), b = Gen.uniform(seed + 1, -2, 2, s2), c = Gen.uniform(seed + 2, -2, 2, s);
        Tensor w = Gen.uniform(seed + 3, -1, 1, Tensor.concat(axis, a, b).shape());
        passesTwice(in -> Tensor.concat(axis, in[0], in[1]).mul(w).square(), a, b);
        Tensor ws = Gen.uniform(seed + 4, -1, 1, Tensor.stack(axis, a, c).shape());
        passesTwice(in -> Tensor.stack(axis, in[0], in[1]).mul(ws).square(), a, c);
    }

    @Property(tries = 25, seed = "405")
    void sliceAndIndexSelect(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        int axis = (int) Math.floorMod(seed, s.length);
        int len = s[axis];
        int start = (int) Math.floorMod(seed >> 4, len);
        int end = start + 1 + (int) Math.floorMod(seed >> 8, len - start);
        Tensor x = Gen.uniform(seed, -2, 2, s);
        passesTwice(in -> in[0].slice(axis, start, end).square(), x);
        int[] idx = {end - 1, start, end - 1};
        passesTwice(in -> in[0].indexSelect(axis, idx).square(), x);
    }

    @Property(tries = 25, seed = "407")
    void chunkAndUnbindAreSlicesWithTheirGradients(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        int axis = (int) Math.floorMod(seed, s.length);
        int len = s[axis], n = 1 + (int) Math.floorMod(seed >> 8, len + 1);
        Tensor x = Gen.uniform(seed, -2, 2, s);
        // values: torch.chunk's parts, each ceil(len / n) long but the last
        Tensor[] parts = x.chunk(n, axis);
        int size = (len + n - 1) / n;
        org.junit.jupiter.api.Assertions.assertEquals((len + size - 1) / size, parts.length);
        for (int i = 0; i < parts.length; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(x.slice(axis, i * size, Math.min(len, (i + 1) * size)).toArray(), parts[i].toArray());
        }
        Tensor[] rows = x.unbind(axis);
        org.junit.jupiter.api.Assertions.assertEquals(len, rows.length);
        for (int i = 0; i < len; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(x.slice(axis, i, i + 1).squeeze(axis).toArray(), rows[i].toArray());
        }
        // gradients: every part weighted differently, so a part routed to the wrong place fails
        passesTwice(in -> {
            Tensor[] p = in[0].chunk(n, axis);
            Tensor sum = Tensor.scalar(0);
            for (int i = 0; i < p.length; i++) sum = sum.add(p[i].square().mul(i + 1).sum());
            return sum;
        }, x);
        passesTwice(in -> {
            Tensor[] r = in[0].unbind(axis);
            Tensor sum = Tensor.scalar(0);
            for (int i = 0; i < r.length; i++) sum = sum.add(r[i].mul(r[i]).mul(0.5 + i).sum());
            return sum;
        }, x);
    }

    @Property(tries = 25, seed = "406")
    void gather(@ForAll("nonScalar") int[] s, @ForAll long seed) {
        int axis = (int) Math.floorMod(seed, s.length);
        int[] is = s.clone();
        is[axis] = 1 + (int) Math.floorMod(seed >> 8, 4);
        Rng r = new Rng(seed);
        double[] idx = new double[Shapes.size(is)];
        for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt(s[axis]);
        Tensor index = Tensor.of(idx, is);
        passesTwice(in -> in[0].gather(axis, index).square(), Gen.uniform(seed, -2, 2, s));
    }

    // ---------------------------------------------------------------- linear algebra

    @Property(tries = 25, seed = "501")
    void matmul2d(@ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 1, max = 5) int k,
                  @ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed) {
        passesTwice(in -> in[0].matmul(in[1]).square(), Gen.uniform(seed, -2, 2, m, k), Gen.uniform(seed + 1, -2, 2, k, n));
    }

    @Property(tries = 15, seed = "502")
    void matmulBatchedAndBroadcast(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 4) int m,
                                   @ForAll @IntRange(min = 1, max = 4) int k, @ForAll long seed) {
        passesTwice(in -> in[0].matmul(in[1]).square(), Gen.uniform(seed, -2, 2, batch, m, k), Gen.uniform(seed + 1, -2, 2, batch, k, 2));
        passes(in -> in[0].matmul(in[1]).square(), Gen.uniform(seed, -2, 2, 2, batch, m, k), Gen.uniform(seed + 1, -2, 2, 1, batch, k, 3));
        passes(in -> in[0].matmul(in[1]).square(), Gen.uniform(seed, -2, 2, 2, batch, m, k), Gen.uniform(seed + 1, -2, 2, k, 3));
        passes(in -> in[0].matmul(in[1]).square(), Gen.uniform(seed, -2, 2, batch, m, k), Gen.uniform(seed + 1, -2, 2, k));
        passes(in -> in[0].matmul(in[1]).square(), Gen.uniform(seed, -2, 2, k), Gen.uniform(seed + 1, -2, 2, batch, k, m));
    }

    @Property(tries = 15, seed = "503")
    void linear(@ForAll @IntRange(min = 1, max = 4) int batch, @ForAll @IntRange(min = 1, max = 4) int in,
                @ForAll @IntRange(min = 1, max = 4) int out, @ForAll long seed) {
        passesTwice(t -> Tensor.linear(t[0], t[1], t[2]).tanh(), Gen.uniform(seed, -2, 2, batch, in),
                Gen.uniform(seed + 1, -1, 1, out, in), Gen.uniform(seed + 2, -1, 1, out));
        passes(t -> Tensor.linear(t[0], t[1], null).tanh(), Gen.uniform(seed, -2, 2, 2, batch, in), Gen.uniform(seed + 1, -1, 1, out, in));
        // with the weight's transpose prepared (remade from the perturbed weight at every evaluation)
        passesTwice(t -> Tensor.linear(t[0], t[1], t[2], t[1].detach().t()).tanh(), Gen.uniform(seed, -2, 2, batch, in),
                Gen.uniform(seed + 1, -1, 1, out, in), Gen.uniform(seed + 2, -1, 1, out));
        passes(t -> Tensor.linear(t[0], t[1], null, t[1].detach().t()).tanh(), Gen.uniform(seed, -2, 2, 2, batch, in),
                Gen.uniform(seed + 1, -1, 1, out, in));
    }
}
