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
 * @param <H> the optimizer's hyperparameter record
 */
public record StateDict<H extends Hyperparameters<H>>(Map<Integer, ParamState> state, List<GroupState<H>> paramGroups) {
    public StateDict {
        state = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(state));
        paramGroups = List.copyOf(paramGroups);
    }

    /**
     * The state of one parameter: the number of steps taken, named scalars (NAdam's {@code mu_product}) and named
     * buffers (PyTorch's names, e.g. {@code exp_avg}, {@code exp_avg_sq}, {@code momentum_buffer}), each buffer as long
     * as the parameter.
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
