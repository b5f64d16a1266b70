package dev.descent.nn;

import dev.descent.core.Tensor;

import java.util.List;

/**
 * Modules applied one after another, as PyTorch's {@code nn.Sequential}; the children are named {@code 0, 1, 2, ...},
 * so the parameters of the third are {@code 2.weight}, {@code 2.bias}.
 */
public final class Sequential extends Module {
    private final List<Module> layers;

    public Sequential(Module... layers) {
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) registerModule(Integer.toString(i), layers[i]);
    }

    /** The {@code i}-th module. */
    public Module get(int i) {
        return layers.get(i);
    }

    /** The number of modules. */
    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : layers) x = forwardChild(m, x);
        return x;
    }
}
