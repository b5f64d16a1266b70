package dev.descent.examples.lab;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.data.Synthetic;
import dev.descent.nn.data.TensorDataset;
import java.util.List;

/** The network playground's two-class data sets in the plane, each drawn from an explicit {@link Rng}. */
enum PlaneData {
    /** Two interleaved spiral arms ({@link Synthetic#spirals}, noise on the angle). */
    SPIRALS {
        @Override
        TensorDataset draw(int n, double noise, Rng rng) {
            return Synthetic.spirals(n / 2, 2, noise, rng);
        }
    },
    /** Two interleaving half circles ({@link Synthetic#twoMoons}). */
    MOONS {
        @Override
        TensorDataset draw(int n, double noise, Rng rng) {
            return Synthetic.twoMoons(n, noise, rng);
        }
    },
    /** A disc of radius 0.5 (class 0) inside a ring of radius 1 (class 1), both with Gaussian noise on each coordinate. */
    CIRCLES {
        @Override
        TensorDataset draw(int n, double noise, Rng rng) {
            double[] x = new double[2 * n], y = new double[n];
            for (int i = 0; i < n; i++) {
                int c = i % 2;
                double r = c == 0 ? 0.5 * Math.sqrt(rng.nextDouble()) : 1, t = 2 * Math.PI * rng.nextDouble();
                x[2 * i] = r * Math.cos(t) + noise * rng.nextGaussian();
                x[2 * i + 1] = r * Math.sin(t) + noise * rng.nextGaussian();
                y[i] = c;
            }
            return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
        }
    },
    /** Points uniform in [−1, 1]², class 1 where the coordinates' signs differ, then Gaussian noise on each coordinate. */
    XOR {
        @Override
        TensorDataset draw(int n, double noise, Rng rng) {
            double[] x = new double[2 * n], y = new double[n];
            for (int i = 0; i < n; i++) {
                double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
                y[i] = (a > 0) != (b > 0) ? 1 : 0;
                x[2 * i] = a + noise * rng.nextGaussian();
                x[2 * i + 1] = b + noise * rng.nextGaussian();
            }
            return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
        }
    };

    /** About {@code n} points (spirals round down to an even number) with classes 0 and 1 as targets. */
    abstract TensorDataset draw(int n, double noise, Rng rng);

    String key() {
        return Params.key(this);
    }

    static List<String> keys() {
        return Params.keys(values(), PlaneData::key);
    }

    static PlaneData of(String key) {
        return Params.option(values(), PlaneData::key, "dataset", key);
    }
}
