package dev.descent.examples.lab;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * The optimizer playground's 2-D landscapes. Each gives its loss as {@link Tensor} ops (so descent's tape computes the
 * gradient the optimizers follow) and as plain arithmetic (for the contour map), its global minimum, a start point and
 * the window the page draws. Only the quadratic uses the condition number {@code kappa}.
 */
enum Landscape {
    /** {@code (1 − x)² + 100 (y − x²)²}: a curved, flat-bottomed valley; minimum 0 at (1, 1). */
    ROSENBROCK("Rosenbrock", -2, 2, -1, 3, -1.2, 1.0) {
        @Override
        Tensor loss(Tensor x, Tensor y, double kappa) {
            return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
        }

        @Override
        double f(double x, double y, double kappa) {
            return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
        }

        @Override
        double[] minimizer(double kappa) {
            return new double[] {1, 1};
        }
    },
    /** Beale's function {@code (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²}: minimum 0 at (3, 0.5), steep walls. */
    BEALE("Beale", -4.5, 4.5, -4.5, 4.5, 1.0, 1.5) {
        @Override
        Tensor loss(Tensor x, Tensor y, double kappa) {
            return x.mul(y).sub(x).add(1.5).square().add(x.mul(y.square()).sub(x).add(2.25).square())
                    .add(x.mul(y.square().mul(y)).sub(x).add(2.625).square());
        }

        @Override
        double f(double x, double y, double kappa) {
            double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
            return a * a + b * b + c * c;
        }

        @Override
        double[] minimizer(double kappa) {
            return new double[] {3, 0.5};
        }
    },
    /** {@code x² + y⁴/4 − y²/2}: a saddle at the origin between minima −1/4 at (0, ±1); the start sits almost on the ridge. */
    SADDLE("Saddle", -2, 2, -1.5, 1.5, 1.5, 1e-3) {
        @Override
        Tensor loss(Tensor x, Tensor y, double kappa) {
            return x.square().add(y.square().square().mul(0.25)).sub(y.square().mul(0.5));
        }

        @Override
        double f(double x, double y, double kappa) {
            return x * x + y * y * y * y / 4 - y * y / 2;
        }

        @Override
        double[] minimizer(double kappa) {
            return new double[] {0, 1};
        }
    },
    /**
     * {@code ½ (x² + κ y²)}: the eigenvalues of the Hessian are 1 (along x) and κ (along y), so the error along each
     * axis is the error along one eigen-direction; minimum 0 at the origin.
     */
    QUADRATIC("Ill-conditioned quadratic", -5, 5, -1.5, 1.5, -4, 1) {
        @Override
        Tensor loss(Tensor x, Tensor y, double kappa) {
            return x.square().add(y.square().mul(kappa)).mul(0.5);
        }

        @Override
        double f(double x, double y, double kappa) {
            return 0.5 * (x * x + kappa * y * y);
        }

        @Override
        double[] minimizer(double kappa) {
            return new double[] {0, 0};
        }
    },
    /**
     * {@code x⁴ − 2x² + x/2 + y²}: a shallow local minimum near (0.93, 0) beside the global one near (−1.06, 0); from the
     * start on the right, plain gradient descent stops in the shallow one.
     */
    LOCAL_MINIMUM("Shallow local minimum", -2, 2, -2, 2, 1.8, 1.5) {
        @Override
        Tensor loss(Tensor x, Tensor y, double kappa) {
            return x.square().square().sub(x.square().mul(2)).add(x.mul(0.5)).add(y.square());
        }

        @Override
        double f(double x, double y, double kappa) {
            return x * x * x * x - 2 * x * x + x / 2 + y * y;
        }

        @Override
        double[] minimizer(double kappa) {
            // the root of f_x = 4x³ − 4x + 1/2 left of −1, by Newton's method from −1
            double x = -1;
            for (int i = 0; i < 50; i++) x -= (4 * x * x * x - 4 * x + 0.5) / (12 * x * x - 4);
            return new double[] {x, 0};
        }
    };

    /** The condition numbers the quadratic accepts. */
    static final double MIN_KAPPA = 1, MAX_KAPPA = 1000, DEFAULT_KAPPA = 50;

    final String title;
    final double x0, x1, y0, y1;
    final double startX, startY;

    Landscape(String title, double x0, double x1, double y0, double y1, double startX, double startY) {
        this.title = title;
        this.x0 = x0;
        this.x1 = x1;
        this.y0 = y0;
        this.y1 = y1;
        this.startX = startX;
        this.startY = startY;
    }

    /** The loss at the point ({@code x}, {@code y}), two one-element tensors, as a one-element tensor. */
    abstract Tensor loss(Tensor x, Tensor y, double kappa);

    abstract double f(double x, double y, double kappa);

    /** A global minimizer. */
    abstract double[] minimizer(double kappa);

    double minimum(double kappa) {
        double[] m = minimizer(kappa);
        return f(m[0], m[1], kappa);
    }

    String key() {
        return Params.key(this);
    }

    static List<String> keys() {
        return Params.keys(values(), Landscape::key);
    }

    static Landscape of(String key) {
        return Params.option(values(), Landscape::key, "landscape", key);
    }
}
