package dev.descent.optim;

import dev.descent.core.Tape;
import dev.descent.core.Tensor;

/** The 2-D test problems of {@code fixtures/torch_optim.py}, written with the same expressions. */
final class Problems {
    private Problems() {}

    /** The loss of {@code problem} at the 2-vector {@code p}, as a scalar. */
    static Tensor loss(String problem, Tensor p) {
        Tensor x = p.slice(0, 0, 1), y = p.slice(0, 1, 2);
        Tensor f = switch (problem) {
            case "rosenbrock" -> x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
            case "quadratic" -> x.square().add(y.square().mul(100)).mul(0.5);
            case "saddle" -> x.square().sub(y.square());
            default -> throw new IllegalArgumentException("unknown problem " + problem);
        };
        return f.sum();
    }

    /** Zeroes the gradients, fills them for {@code problem} at {@code p}, and returns the loss. */
    static Tensor backward(Optimizer<?> optimizer, String problem, Tensor p) {
        optimizer.zeroGrad();
        try (Tape tape = Tape.record()) {
            Tensor loss = loss(problem, p);
            tape.backward(loss);
            return loss;
        }
    }

    /** Runs {@code steps} steps on {@code problem}; returns the parameter after each. */
    static double[][] run(Optimizer<?> optimizer, String problem, Tensor p, int steps) {
        double[][] trajectory = new double[steps][];
        for (int t = 0; t < steps; t++) {
            backward(optimizer, problem, p);
            optimizer.step();
            trajectory[t] = p.toArray();
        }
        return trajectory;
    }
}
