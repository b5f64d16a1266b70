package dev.descent.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A data loader's position and shuffling state, saved mid-epoch and restored into another loader. */
class DataLoaderStateTest {
    private static final TensorDataset DATA = new TensorDataset(Tensor.arange(10).reshape(10, 1), Tensor.arange(10));

    private static DataLoader loader(long seed) {
        return new DataLoader(DATA, DataLoader.DEFAULTS.withBatchSize(3).withShuffle(new Rng(seed)));
    }

    private static List<String> batches(Iterator<Batch> it, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n && it.hasNext(); i++) out.add(java.util.Arrays.toString(it.next().classes()));
        return out;
    }

    @Test
    void aLoaderRestoredMidEpochContinuesThatEpochAndDrawsTheSameEpochsAfterIt() {
        DataLoader original = loader(5);
        batches(original.iterator(), 4); // epoch 1 finished but not yet reported finished
        Iterator<Batch> second = original.iterator();
        batches(second, 2);
        Map<String, Tensor> saved = original.stateTensors();
        assertEquals(2.0, saved.get("position").item());
        assertEquals(2.0, saved.get("epochs").item());
        List<String> rest = batches(second, 4);
        List<String> next = batches(original.iterator(), 4);

        DataLoader restored = loader(99);
        restored.loadStateTensors(saved);
        assertEquals(rest, batches(restored.iterator(), 4), "the rest of the epoch in progress");
        assertEquals(next, batches(restored.iterator(), 4), "the next epoch, drawn from the restored generator");
    }

    @Test
    void aFinishedEpochIsNotResumed() {
        DataLoader original = loader(5);
        for (Batch ignored : original) { } // the loop ends: the epoch is over
        Map<String, Tensor> saved = original.stateTensors();
        assertEquals(0, saved.get("order").size());
        List<String> next = batches(original.iterator(), 4);
        DataLoader restored = loader(99);
        restored.loadStateTensors(saved);
        assertEquals(next, batches(restored.iterator(), 4));
    }

    @Test
    void aBadStateIsRefusedWithTheKeyAndChangesNothing() {
        DataLoader original = loader(5);
        batches(original.iterator(), 1);
        Map<String, Tensor> saved = original.stateTensors();
        DataLoader target = loader(99);
        Map<String, Tensor> before = target.stateTensors();

        Map<String, Tensor> duplicate = new LinkedHashMap<>(saved);
        double[] order = saved.get("order").toArray();
        order[1] = order[0];
        duplicate.put("order", Tensor.vector(order));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target.loadStateTensors(duplicate));
        assertEquals("DataLoader state: 'order' is not a permutation of 0..9: element 1 is " + order[0], e.getMessage());

        Map<String, Tensor> noRng = new LinkedHashMap<>(saved);
        noRng.remove("rng.state");
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateTensors(noRng));
        assertEquals("DataLoader state: no shuffling generator state (rng.state), but this loader shuffles", e.getMessage());

        Map<String, Tensor> after = target.stateTensors();
        before.forEach((k, v) -> assertArrayEquals(v.toArray(), after.get(k).toArray(), k));
    }
}
