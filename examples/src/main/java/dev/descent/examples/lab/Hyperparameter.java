package dev.descent.examples.lab;

/**
 * One slider of the playground: a hyperparameter's name (the camelCase name of the optimizer's option), its range,
 * its default (the optimizer's own) and how the slider moves: {@code log} for rates and epsilons, {@code linear} for
 * decays, {@code toggle} for a flag (0 or 1).
 */
record Hyperparameter(String name, double min, double max, double defaultValue, String scale) {
    static Hyperparameter log(String name, double min, double max, double defaultValue) {
        return new Hyperparameter(name, min, max, defaultValue, "log");
    }

    static Hyperparameter linear(String name, double min, double max, double defaultValue) {
        return new Hyperparameter(name, min, max, defaultValue, "linear");
    }

    static Hyperparameter toggle(String name, boolean defaultValue) {
        return new Hyperparameter(name, 0, 1, defaultValue ? 1 : 0, "toggle");
    }
}
