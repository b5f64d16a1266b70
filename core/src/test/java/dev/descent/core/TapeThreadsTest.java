package dev.descent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A tape belongs to the thread that opened it; the rule for tapes and pooled threads. */
class TapeThreadsTest {

    /** Runs {@code body} on a new thread named "other" and returns what it threw (null if nothing). */
    private static Throwable onOtherThread(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "other");
        t.start();
        t.join();
        return thrown.get();
    }

    @Test
    void closingATapeFromAnotherThreadThrowsNamingBothAndTheOwnerKeepsRecording() throws InterruptedException {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Throwable e = onOtherThread(tape::close);
            assertInstanceOf(IllegalStateException.class, e);
            String owner = Thread.currentThread().getName();
            assertTrue(e.getMessage().contains("'" + owner + "'") && e.getMessage().contains("'other'"), e.getMessage());
            // the owner's recording state is intact: ops still record and backward works
            assertTrue(Tape.isRecording());
            assertEquals(1, Tape.depth());
            tape.backward(x.square().sum());
        }
        assertArrayEquals(new double[] {2, 4}, x.grad().toArray(), 0);
        assertEquals(0, Tape.depth());
    }

    @Test
    void differentiatingOnAnotherThreadThrowsNamingBoth() throws InterruptedException {
        Tensor x = Tensor.scalar(3).requiresGrad(true);
        Tensor y;
        try (Tape tape = Tape.record()) {
            y = x.square();
            Tensor target = y;
            Throwable backward = onOtherThread(() -> tape.backward(target));
            Throwable gradient = onOtherThread(() -> tape.gradient(target, x));
            for (Throwable e : new Throwable[] {backward, gradient}) {
                assertInstanceOf(IllegalStateException.class, e);
                assertTrue(e.getMessage().contains("'other'") && e.getMessage().contains(Thread.currentThread().getName()), e.getMessage());
            }
            assertEquals(6, tape.gradient(y, x)[0].item(), 0, "the graph was not freed by the refused calls");
        }
    }

    @Test
    void aTapeLeftOpenOnAPooledThreadKeepsRecordingForLaterTasks() throws Exception {
        // The documented rule: tapes are per thread, so a task that leaves one open leaks it into the next task the
        // pool runs on that thread. Tape.depth() shows it; Tape.isolated(...) protects a task from it.
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            pool.submit(() -> { Tape.record(); }).get(); // the bug: never closed
            assertEquals(1, pool.submit(Tape::depth).get());
            assertTrue(pool.submit(Tape::isRecording).get(), "a later task on the same thread records");
            Tensor w = Tensor.scalar(2).requiresGrad(true);
            assertTrue(pool.submit(() -> w.mul(3).requiresGrad()).get());
            assertFalse(pool.submit(() -> Tape.isolated(() -> w.mul(3).requiresGrad())).get(), "isolated: nothing records");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void isolatedClosesAndReportsATapeItsBodyLeftOpen() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> pool.submit(() -> Tape.isolated(() -> { Tape.record(); })).get());
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("left 1 tape open"), e.getCause().getMessage());
            assertEquals(0, pool.submit(Tape::depth).get(), "the leaked tape does not reach the next task");
            assertFalse(pool.submit(Tape::isRecording).get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void isolatedRestoresTheCallersTapes() {
        Tensor x = Tensor.scalar(2).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            double inside = Tape.isolated(() -> {
                assertEquals(0, Tape.depth());
                try (Tape inner = Tape.record()) {
                    Tensor y = x.mul(x);
                    return inner.gradient(y, x)[0].item();
                }
            });
            assertEquals(4, inside, 0);
            assertEquals(1, Tape.depth());
            assertTrue(x.mul(2).requiresGrad(), "the caller's tape records again");
        }
    }
}
