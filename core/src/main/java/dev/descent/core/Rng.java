package dev.descent.core;

import java.util.Arrays;
import java.util.Map;

/**
 * The library's random-number generator: xoshiro256** seeded through SplitMix64, with a fixed, documented recipe for
 * every derived quantity so that a seed names one stream of bits.
 *
 * <h2>Algorithm</h2>
 * The state is four 64-bit words {@code s0..s3}. Each step outputs {@code rotl(s1 * 5, 7) * 9} and then advances
 * <pre>{@code
 *   t = s1 << 17;  s2 ^= s0;  s3 ^= s1;  s1 ^= s2;  s0 ^= s3;  s2 ^= t;  s3 = rotl(s3, 45);
 * }</pre>
 * (D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47(4), 2021; reference code
 * <a href="https://prng.di.unimi.it/xoshiro256starstar.c">xoshiro256starstar.c</a>). The period is
 * 2<sup>256</sup> − 1 and every 64-bit output is equidistributed. {@link #Rng(long) new Rng(seed)} fills the state with
 * the first four outputs of SplitMix64 started at {@code seed}
 * (<a href="https://prng.di.unimi.it/splitmix64.c">splitmix64.c</a>), as the authors recommend; those four outputs
 * are distinct, so the state is never all zero.
 *
 * <h2>Determinism</h2>
 * The same seed gives the same bits on any machine, JVM and thread count: integer outputs are exact, floating-point
 * arithmetic in Java is strict IEEE 754, and the only transcendental functions used ({@code log}, {@code sqrt} in
 * {@link #nextGaussian()}) come from {@link StrictMath}, whose results are specified to the bit. Each method below
 * says exactly how many 64-bit outputs it consumes, and {@code core/src/test/resources/reference/rng_reference.c}
 * reproduces every stream in C.
 *
 * <p>An {@code Rng} is <em>not</em> thread-safe. To use randomness from several threads, {@link #split()} one child
 * per thread (or per task) up front, in a fixed order, on one thread; the result is then independent of scheduling.
 *
 * <p>This class deliberately does not implement {@link java.util.random.RandomGenerator}: that interface's default
 * methods define their own derived streams, which could change between JDK releases and break the guarantee above.
 */
public final class Rng implements Stateful {

    /** SplitMix64's increment, the odd integer closest to 2<sup>64</sup>/φ. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    /**
     * A generator whose state is the first four outputs of SplitMix64 started at {@code seed}. Every {@code long},
     * including 0 and negative values, is a valid seed, and different seeds give different states.
     *
     * @param seed any value
     */
    public Rng(long seed) {
        long x = seed;
        s0 = splitMix64(x += GOLDEN_GAMMA);
        s1 = splitMix64(x += GOLDEN_GAMMA);
        s2 = splitMix64(x += GOLDEN_GAMMA);
        s3 = splitMix64(x + GOLDEN_GAMMA);
    }

    private Rng(long s0, long s1, long s2, long s3) {
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;
    }

    /**
     * SplitMix64's output function for counter value {@code z} (the generator adds {@link #GOLDEN_GAMMA} to its
     * counter before each call). It is a bijection on 64-bit values, which is why distinct counters give distinct
     * outputs.
     */
    private static long splitMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * Restores a generator from a {@link #state()} snapshot; the restored generator continues exactly where the
     * snapshot was taken. The array is copied.
     *
     * @param state four words, not all zero (the all-zero state is a fixed point of xoshiro and never reached)
     * @return a generator in that state
     * @throws NullPointerException if {@code state} is null
     * @throws IllegalArgumentException if {@code state} does not have length 4 or is all zero
     */
    public static Rng fromState(long[] state) {
        if (state == null) {
            throw new NullPointerException("Rng.fromState: state is null");
        }
        if (state.length != 4) {
            throw new IllegalArgumentException(
                    "Rng.fromState: expected 4 state words, got " + state.length + ": " + Arrays.toString(state));
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException(
                    "Rng.fromState: the all-zero state [0, 0, 0, 0] is not a valid xoshiro256** state");
        }
        return new Rng(state[0], state[1], state[2], state[3]);
    }

    /**
     * Puts this generator, in place, into a {@link #state()} snapshot, so that every holder of it (a {@code Dropout}
     * layer, a data loader) continues from there. Checked like {@link #fromState(long[])}; a rejected state changes
     * nothing.
     *
     * @param state four words, not all zero
     * @throws NullPointerException if {@code state} is null
     * @throws IllegalArgumentException if {@code state} does not have length 4 or is all zero
     */
    public void setState(long[] state) {
        Rng checked = fromState(state);
        s0 = checked.s0;
        s1 = checked.s1;
        s2 = checked.s2;
        s3 = checked.s3;
    }

    /**
     * A copy of the four state words {@code [s0, s1, s2, s3]}, for checkpoints; {@link #fromState(long[])} restores
     * it. The generator keeps no other state (no cached gaussian), so this snapshot is complete.
     *
     * @return a new array of length 4
     */
    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    /**
     * The state as one tensor {@code state} of eight values: each of the four words as its high and low 32 bits, which
     * a double holds exactly.
     */
    @Override
    public Map<String, Tensor> stateTensors() {
        long[] words = state();
        double[] halves = new double[8];
        for (int i = 0; i < 4; i++) {
            halves[2 * i] = words[i] >>> 32;
            halves[2 * i + 1] = words[i] & 0xFFFFFFFFL;
        }
        return Map.of("state", Tensor.vector(halves));
    }

    /** Restores what {@link #stateTensors()} gave, in place (see {@link #setState(long[])}). */
    @Override
    public void loadStateTensors(Map<String, Tensor> state) {
        if (state == null || state.size() != 1 || !(state.get("state") instanceof Tensor t)) {
            throw new IllegalArgumentException("Rng: expected exactly the key 'state', got " + (state == null ? null : state.keySet()));
        }
        if (t.dim() != 1 || t.size() != 8) {
            throw new IllegalArgumentException("Rng: 'state' must have shape [8], got " + Arrays.toString(t.shape()));
        }
        double[] halves = t.toArray();
        long[] words = new long[4];
        for (int i = 0; i < 8; i++) {
            double h = halves[i];
            if (!(h >= 0 && h <= 0xFFFFFFFFL && h == Math.rint(h))) {
                throw new IllegalArgumentException("Rng: 'state' element " + i + " must be an integer in [0, 2^32), got " + h);
            }
            words[i / 2] |= (long) h << (i % 2 == 0 ? 32 : 0);
        }
        setState(words);
    }

    /**
     * The next 64 uniformly distributed bits. Consumes one output.
     *
     * @return any {@code long}, each value equally likely
     */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /**
     * A uniformly distributed integer in {@code [0, bound)}, without bias. Uses Lemire's multiply-and-reject method
     * on the top 32 bits of an output: with {@code x} those bits and {@code m = x * bound}, the result is
     * {@code m >>> 32}, and {@code x} is redrawn while {@code (m mod 2^32) < 2^32 mod bound} (D. Lemire, "Fast random
     * integer generation in an interval", ACM TOMACS 29(1), 2019). Consumes one output, plus one per rejection; the
     * rejection probability is below {@code bound / 2^32}.
     *
     * @param bound the exclusive upper bound, positive
     * @return a value in {@code [0, bound)}
     * @throws IllegalArgumentException if {@code bound <= 0}
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("Rng.nextInt: bound must be positive, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xffffffffL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xffffffffL;
            }
        }
        return (int) (m >>> 32);
    }

    /**
     * A uniformly distributed double in {@code [0, 1)}: the top 53 bits of an output times 2<sup>−53</sup>, so every
     * multiple of 2<sup>−53</sup> in the interval is equally likely. Consumes one output.
     *
     * @return a value {@code u} with {@code 0 <= u < 1}
     */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * A standard normal variate, N(0, 1), by Marsaglia's polar method (G. Marsaglia and T. A. Bray, "A convenient
     * method for generating normal variables", SIAM Review 6(3), 1964): draw {@code u = 2 nextDouble() - 1} and
     * {@code v = 2 nextDouble() - 1} until {@code 0 < q = u² + v² < 1}, then return
     * {@code u * sqrt(-2 ln(q) / q)}, with {@link StrictMath#log} and {@link StrictMath#sqrt}.
     *
     * <p>The method yields two independent variates per accepted pair; the second, {@code v * sqrt(...)}, is discarded
     * rather than cached, so that {@link #state()} is the whole state and every call consumes whole pairs. That costs
     * about one log and sqrt per value more than caching. Consumes two outputs per attempt; an attempt is accepted
     * with probability π/4, so 2.55 outputs on average.
     *
     * @return a normally distributed value with mean 0 and standard deviation 1
     */
    public double nextGaussian() {
        while (true) {
            double u = 2.0 * nextDouble() - 1.0;
            double v = 2.0 * nextDouble() - 1.0;
            double q = u * u + v * v;
            if (q < 1.0 && q != 0.0) {
                return u * StrictMath.sqrt(-2.0 * StrictMath.log(q) / q);
            }
        }
    }

    /**
     * A uniformly distributed double in {@code [lo, hi)}: {@code lo + (hi - lo) * nextDouble()}, moved down to the
     * largest double below {@code hi} in the rare case that rounding lands on {@code hi}. When {@code lo == hi} the
     * result is {@code lo} (as {@code torch.Tensor.uniform_} allows). Consumes one output.
     *
     * @param lo the inclusive lower bound, finite
     * @param hi the exclusive upper bound, finite, {@code >= lo}, with {@code hi - lo} finite
     * @return a value in {@code [lo, hi)}, or {@code lo} when {@code lo == hi}
     * @throws IllegalArgumentException if the bounds are not finite, {@code lo > hi}, or {@code hi - lo} overflows
     */
    public double uniform(double lo, double hi) {
        checkUniform("uniform", lo, hi);
        return uniformUnchecked(lo, hi);
    }

    /**
     * A normal variate with the given mean and standard deviation: {@code mean + std * nextGaussian()}. Consumes what
     * {@link #nextGaussian()} consumes.
     *
     * @param mean the mean, finite
     * @param std the standard deviation, finite and {@code >= 0} ({@code 0} returns {@code mean})
     * @return a value from N(mean, std²)
     * @throws IllegalArgumentException if {@code mean} is not finite or {@code std} is negative or not finite
     */
    public double normal(double mean, double std) {
        checkNormal("normal", mean, std);
        return mean + std * nextGaussian();
    }

    /**
     * Fills {@code out} with {@link #uniform(double, double) uniform(lo, hi)} values, in index order, so the result
     * equals calling {@code uniform} {@code out.length} times.
     *
     * @param out the array to overwrite
     * @param lo the inclusive lower bound
     * @param hi the exclusive upper bound
     * @throws NullPointerException if {@code out} is null
     * @throws IllegalArgumentException on the bounds, as {@link #uniform(double, double)}; {@code out} is then unchanged
     */
    public void fillUniform(double[] out, double lo, double hi) {
        if (out == null) {
            throw new NullPointerException("Rng.fillUniform: out is null");
        }
        checkUniform("fillUniform", lo, hi);
        for (int i = 0; i < out.length; i++) {
            out[i] = uniformUnchecked(lo, hi);
        }
    }

    /**
     * Fills {@code out} with {@link #normal(double, double) normal(mean, std)} values, in index order, so the result
     * equals calling {@code normal} {@code out.length} times.
     *
     * @param out the array to overwrite
     * @param mean the mean
     * @param std the standard deviation
     * @throws NullPointerException if {@code out} is null
     * @throws IllegalArgumentException on the parameters, as {@link #normal(double, double)}; {@code out} is then
     *     unchanged
     */
    public void fillNormal(double[] out, double mean, double std) {
        if (out == null) {
            throw new NullPointerException("Rng.fillNormal: out is null");
        }
        checkNormal("fillNormal", mean, std);
        for (int i = 0; i < out.length; i++) {
            out[i] = mean + std * nextGaussian();
        }
    }

    /**
     * A uniformly random permutation of {@code 0, 1, ..., n-1}, by the Fisher–Yates shuffle (Durstenfeld's
     * in-place form): start from the identity and, for {@code i} from {@code n-1} down to 1, swap element {@code i}
     * with element {@link #nextInt(int) nextInt(i + 1)}. Consumes what those {@code n - 1} calls consume.
     *
     * @param n the length, {@code >= 0}
     * @return a new array holding each of {@code 0..n-1} once
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public int[] permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("Rng.permutation: n must be non-negative, got " + n);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    /**
     * A new generator derived deterministically from this one: {@code new Rng(nextLong())}, that is, the child's
     * state is the SplitMix64 expansion of one output of this generator. Consumes one output of this generator, so
     * the parent continues on a different stream from the child, and successive splits give different children.
     *
     * <p>Why not xoshiro's jump function: jumping gives provably disjoint streams for a flat list of generators, but
     * a child that later splits itself would jump onto its parent's stream. Reseeding supports arbitrary trees of
     * splits; two streams of length L among k generators overlap with probability about k²L/2<sup>256</sup>, and
     * SplitMix64's avalanche keeps a child's outputs uncorrelated with its parent's.
     *
     * @return an independent generator
     */
    public Rng split() {
        return new Rng(nextLong());
    }

    @Override
    public String toString() {
        return String.format("Rng[state=%016x %016x %016x %016x]", s0, s1, s2, s3);
    }

    private double uniformUnchecked(double lo, double hi) {
        double r = lo + (hi - lo) * nextDouble();
        // Rounding can land exactly on hi when (hi - lo) * u rounds up; the interval is half-open.
        return r < hi ? r : (lo == hi ? lo : Math.nextDown(hi));
    }

    private static void checkUniform(String method, double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException(
                    "Rng." + method + ": bounds must be finite, got lo=" + lo + ", hi=" + hi);
        }
        if (lo > hi) {
            throw new IllegalArgumentException(
                    "Rng." + method + ": expected lo <= hi, got lo=" + lo + ", hi=" + hi);
        }
        if (!Double.isFinite(hi - lo)) {
            throw new IllegalArgumentException(
                    "Rng." + method + ": hi - lo overflows, got lo=" + lo + ", hi=" + hi);
        }
    }

    private static void checkNormal(String method, double mean, double std) {
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("Rng." + method + ": mean must be finite, got " + mean);
        }
        if (!(std >= 0.0) || std == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(
                    "Rng." + method + ": std must be finite and >= 0, got " + std);
        }
    }
}
