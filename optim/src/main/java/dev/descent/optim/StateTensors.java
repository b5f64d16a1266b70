package dev.descent.optim;

import dev.descent.core.Tensor;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The conversion between an optimizer's {@link StateDict} and the flat map of named tensors a checkpoint stores (see
 * {@link Optimizer#stateTensors()} for the layout). Parsing checks the layout strictly: every expected key, no other
 * key, shapes, and integers where counts and indices are; {@link Optimizer#loadStateDict} then checks the values.
 */
final class StateTensors {
    private static final String STATE = "state.", GROUPS = "param_groups.", GLOBAL = "global.", PARAMS = "params", STEP = "step";

    private StateTensors() {}

    static <H extends Hyperparameters<H>> Map<String, Tensor> of(Optimizer<H> optimizer) {
        StateDict<H> dict = optimizer.stateDict();
        List<int[]> shapes = shapes(optimizer);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int g = 0; g < dict.paramGroups().size(); g++) {
            StateDict.GroupState<H> group = dict.paramGroups().get(g);
            out.put(GROUPS + g + "." + PARAMS, Tensor.vector(group.params().stream().mapToDouble(Integer::doubleValue).toArray()));
            H options = group.options();
            for (RecordComponent c : components(options)) {
                if (c.getType() == String.class) continue;
                Object v = get(c, options);
                out.put(GROUPS + g + "." + c.getName(), Tensor.scalar(v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue()));
            }
        }
        dict.state().forEach((i, s) -> {
            String prefix = STATE + i + ".";
            out.put(prefix + STEP, Tensor.scalar(s.step()));
            s.scalars().forEach((name, v) -> out.put(prefix + name, Tensor.scalar(v)));
            int[] shape = shapes.get(i);
            s.buffers().forEach((name, v) -> out.put(prefix + name, Tensor.of(v, v.length == sizeOf(shape) ? shape : new int[] {v.length})));
        });
        dict.global().scalars().forEach((name, v) -> out.put(GLOBAL + name, Tensor.scalar(v)));
        dict.global().arrays().forEach((name, v) -> out.put(GLOBAL + name, Tensor.vector(v)));
        return out;
    }

    static <H extends Hyperparameters<H>> StateDict<H> parse(Optimizer<H> optimizer, Map<String, Tensor> tensors) {
        if (tensors == null) throw new IllegalArgumentException("optimizer state: expected a map of tensors, got null");
        Set<String> used = new HashSet<>();
        List<int[]> shapes = shapes(optimizer);
        List<StateDict.GroupState<H>> groups = new ArrayList<>();
        Map<Integer, H> optionsByIndex = new LinkedHashMap<>();
        for (int g = 0; g < optimizer.paramGroups().size(); g++) {
            String prefix = GROUPS + g + ".";
            Tensor ids = take(tensors, used, prefix + PARAMS);
            if (ids.dim() != 1) throw new IllegalArgumentException("optimizer state: '" + prefix + PARAMS + "' must be a vector, got shape " + Arrays.toString(ids.shape()));
            List<Integer> params = new ArrayList<>();
            for (double v : ids.toArray()) params.add((int) integer(prefix + PARAMS, v, shapes.size() - 1));
            H options = options(optimizer.paramGroups().get(g).options(), prefix, tensors, used);
            for (int i : params) optionsByIndex.put(i, options);
            groups.add(new StateDict.GroupState<>(options, params));
        }
        Map<Integer, StateDict.ParamState> state = new TreeMap<>();
        for (String key : tensors.keySet()) {
            if (!key.startsWith(STATE) || key.indexOf('.', STATE.length()) < 0) continue;
            String index = key.substring(STATE.length(), key.indexOf('.', STATE.length()));
            if (!index.matches("\\d{1,9}")) throw new IllegalArgumentException("optimizer state: unexpected key '" + key + "' (not a parameter index)");
            int i = Integer.parseInt(index);
            if (state.containsKey(i)) continue;
            H options = optionsByIndex.get(i);
            if (options == null) throw new IllegalArgumentException("optimizer state: key '" + key + "' is for parameter " + i + ", which no group lists");
            String prefix = STATE + i + ".";
            double step = scalar(take(tensors, used, prefix + STEP), prefix + STEP);
            long steps = (long) integer(prefix + STEP, step, Optimizer.MAX_STEP);
            Map<String, Double> scalars = new LinkedHashMap<>();
            for (String name : optimizer.scalarNames(options)) scalars.put(name, scalar(take(tensors, used, prefix + name), prefix + name));
            Map<String, double[]> buffers = new LinkedHashMap<>();
            List<String> names = optimizer.bufferNames(options);
            int[] shape = shapes.get(i);
            for (int b = 0; b < names.size(); b++) {
                Tensor t = take(tensors, used, prefix + names.get(b));
                int length = optimizer.bufferSize(b, shape, options);
                int[] expected = length == sizeOf(shape) ? shape : new int[] {length};
                if (!Arrays.equals(t.shape(), expected)) {
                    throw new IllegalArgumentException("optimizer state: '" + prefix + names.get(b) + "' has shape " + Arrays.toString(t.shape())
                            + ", expected " + Arrays.toString(expected));
                }
                buffers.put(names.get(b), t.toArray());
            }
            state.put(i, new StateDict.ParamState(steps, scalars, buffers));
        }
        Map<String, Double> globalScalars = new LinkedHashMap<>();
        Map<String, double[]> globalArrays = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (!e.getKey().startsWith(GLOBAL)) continue;
            used.add(e.getKey());
            String name = e.getKey().substring(GLOBAL.length());
            if (e.getValue().dim() == 0) globalScalars.put(name, e.getValue().item());
            else if (e.getValue().dim() == 1) globalArrays.put(name, e.getValue().toArray());
            else throw new IllegalArgumentException("optimizer state: '" + e.getKey() + "' must be a scalar or a vector, got shape "
                    + Arrays.toString(e.getValue().shape()));
        }
        for (String key : tensors.keySet()) {
            if (!used.contains(key)) throw new IllegalArgumentException("optimizer state: unexpected key '" + key + "'");
        }
        return new StateDict<>(state, groups, new StateDict.GlobalState(globalScalars, globalArrays));
    }

    /** The hyperparameters of a group from its saved fields, text fields taken from {@code current}. */
    private static <H extends Hyperparameters<H>> H options(H current, String prefix, Map<String, Tensor> tensors, Set<String> used) {
        RecordComponent[] components = components(current);
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int k = 0; k < components.length; k++) {
            RecordComponent c = components[k];
            types[k] = c.getType();
            if (c.getType() == String.class) {
                args[k] = get(c, current);
                continue;
            }
            String key = prefix + c.getName();
            double v = scalar(take(tensors, used, key), key);
            if (!Double.isFinite(v)) throw new IllegalArgumentException("optimizer state: '" + key + "' is " + v + ", expected a finite number");
            if (c.getType() == double.class) args[k] = v;
            else if (c.getType() == int.class) args[k] = (int) integer(key, v, Integer.MAX_VALUE);
            else if (c.getType() == long.class) args[k] = integer(key, v, Long.MAX_VALUE);
            else if (c.getType() == boolean.class) {
                if (v != 0 && v != 1) throw new IllegalArgumentException("optimizer state: '" + key + "' is " + v + ", expected 0 or 1 (a boolean)");
                args[k] = v == 1;
            } else {
                throw new IllegalStateException(current.getClass().getName() + "." + c.getName() + " has a type a checkpoint cannot hold: " + c.getType());
            }
        }
        try {
            Constructor<?> canonical = current.getClass().getDeclaredConstructor(types);
            @SuppressWarnings("unchecked")
            H options = (H) canonical.newInstance(args);
            return options;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw new IllegalArgumentException("optimizer state: the hyperparameters under '" + prefix + "' are invalid: " + bad.getMessage(), bad);
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild " + current.getClass().getName() + ": " + e, e);
        }
    }

    private static RecordComponent[] components(Object options) {
        RecordComponent[] c = options.getClass().getRecordComponents();
        if (c == null) throw new IllegalStateException(options.getClass().getName() + " is not a record, so its fields cannot be saved");
        return c;
    }

    private static Object get(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + ": " + e, e);
        }
    }

    private static Tensor take(Map<String, Tensor> tensors, Set<String> used, String key) {
        Tensor t = tensors.get(key);
        if (t == null) throw new IllegalArgumentException("optimizer state: missing key '" + key + "'");
        used.add(key);
        return t;
    }

    private static double scalar(Tensor t, String key) {
        if (t.dim() != 0) throw new IllegalArgumentException("optimizer state: '" + key + "' must be a scalar, got shape " + Arrays.toString(t.shape()));
        return t.item();
    }

    /** {@code v} as a whole number in [0, max], or an exception naming the key. */
    private static long integer(String key, double v, long max) {
        if (!(v >= 0 && v <= max && v == Math.rint(v))) {
            throw new IllegalArgumentException("optimizer state: '" + key + "' is " + v + ", expected a whole number from 0 to " + max);
        }
        return (long) v;
    }

    private static List<int[]> shapes(Optimizer<?> optimizer) {
        List<int[]> out = new ArrayList<>();
        for (ParamGroup<?> g : optimizer.paramGroups()) for (Tensor p : g.params()) out.add(p.shape());
        return out;
    }

    private static int sizeOf(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
