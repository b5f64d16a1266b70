package dev.descent.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of an optimizer, laid out as PyTorch's {@code state_dict()}: parameters are named by their index in the
 * concatenation of all groups' parameter lists, {@link #state} maps an index to that parameter's state (parameters
 * that were never stepped have none), and {@link #paramGroups} lists each group's hyperparameters with its indices.
 *
 * <p>The snapshot holds copies: it neither sees nor changes later steps. {@link Optimizer#loadStateDict} copies again.
 *
 * @param state per-parameter state by index
 * @param paramGroups the groups in order
 * @param global optimizer-wide state ({@link GlobalState#NONE} but for L-BFGS)
 * @param <H> the optimizer's hyperparameter record
 */
public record StateDict<H extends Hyperparameters<H>>(Map<Integer, ParamState> state, List<GroupState<H>> paramGroups, GlobalState global) {
    public StateDict {
        state = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(state));
        paramGroups = List.copyOf(paramGroups);
        global = java.util.Objects.requireNonNull(global, "global");
    }

    /** A snapshot without optimizer-wide state (every optimizer but L-BFGS). */
    public StateDict(Map<Integer, ParamState> state, List<GroupState<H>> paramGroups) {
        this(state, paramGroups, GlobalState.NONE);
    }

    /**
     * State that belongs to the whole optimizer rather than to one parameter: L-BFGS's history of directions and
     * steps over the flattened parameters (PyTorch keeps it in the state of the first parameter; here it has its own
     * place, so per-parameter state keeps its invariant that every buffer matches its parameter).
     *
     * @param scalars scalar name to value
     * @param arrays array name to values (copied)
     */
    public record GlobalState(Map<String, Double> scalars, Map<String, double[]> arrays) {
        /** No optimizer-wide state. */
        public static final GlobalState NONE = new GlobalState(Map.of(), Map.of());

        public GlobalState {
            scalars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
            Map<String, double[]> copy = new LinkedHashMap<>();
            arrays.forEach((name, values) -> copy.put(name, values.clone()));
            arrays = java.util.Collections.unmodifiableMap(copy);
        }
    }

    /**
     * The state of one parameter: the number of steps taken, named scalars (NAdam's {@code mu_product}) and named
     * buffers (PyTorch's names, e.g. {@code exp_avg}, {@code exp_avg_sq}, {@code momentum_buffer}), each buffer as long
     * as the parameter (except Adafactor's factored row and column moments).
     *
     * @param step steps taken on this parameter
     * @param scalars scalar name to value
     * @param buffers buffer name to values (copied)
     */
    public record ParamState(long step, Map<String, Double> scalars, Map<String, double[]> buffers) {
        public ParamState {
            scalars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
            Map<String, double[]> copy = new LinkedHashMap<>();
            buffers.forEach((name, values) -> copy.put(name, values.clone()));
            buffers = java.util.Collections.unmodifiableMap(copy);
        }
    }

    /**
     * One parameter group: its hyperparameters and the indices of its parameters.
     *
     * @param options the group's hyperparameters
     * @param params indices of the group's parameters
     * @param <H> the hyperparameter record
     */
    public record GroupState<H extends Hyperparameters<H>>(H options, List<Integer> params) {
        public GroupState {
            params = List.copyOf(params);
        }
    }
}
