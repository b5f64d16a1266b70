package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainDemoTest {
    /** Tiny spirals, and a default data directory that surely does not exist, so that these tests never pick up Fashion-MNIST. */
    static TrainDemo.Config spirals(TrainDemo.Arch arch, int epochs, boolean resume, Path nowhere) {
        return new TrainDemo.Config(arch, null, epochs, 32, 0.01, resume, 100, nowhere.resolve("no-fashion-mnist-here"));
    }

    @Test
    void anMlpLearnsTheSpiralsToNinetyPercent(@TempDir Path dir) throws Exception {
        Section s = new TrainDemo(spirals(TrainDemo.Arch.mlp, 30, false, dir)).run(42, dir, Progress.silent());
        assertEquals(2, s.charts().size());
        for (Path png : s.charts()) assertTrue(Files.size(png) > 5000, png + " is " + Files.size(png) + " bytes");
        assertTrue(s.markdown().contains("Data: synthetic spirals"), "says which data it used");
        var m = java.util.regex.Pattern.compile("Test accuracy: ([\\d.]+) %").matcher(s.markdown());
        assertTrue(m.find(), s.markdown());
        assertTrue(Double.parseDouble(m.group(1)) >= 90, "test accuracy " + m.group(1) + " %");
        assertTrue(s.markdown().contains("| arm 2 |"), "confusion matrix");
        assertTrue(Files.isRegularFile(dir.resolve(TrainDemo.CHECKPOINT)));
    }

    @Test
    void resumingContinuesExactlyWhereTheCheckpointStopped(@TempDir Path dir) throws Exception {
        Path straight = Files.createDirectory(dir.resolve("straight")), split = Files.createDirectory(dir.resolve("split"));
        // BatchNorm, so that the running statistics (buffers) must travel through the checkpoint too
        TrainDemo.Result four = new TrainDemo(spirals(TrainDemo.Arch.bn, 4, false, dir)).train(7, straight, Progress.silent());
        TrainDemo.Result first = new TrainDemo(spirals(TrainDemo.Arch.bn, 2, false, dir)).train(7, split, Progress.silent());
        TrainDemo.Result resumed = new TrainDemo(spirals(TrainDemo.Arch.bn, 2, true, dir)).train(7, split, Progress.silent());
        assertEquals(2, first.history().epochs());
        assertEquals(2, resumed.resumedFrom());
        assertEquals(4, resumed.history().epochs());
        assertEquals(first.history().testAccuracy(), resumed.history().testAccuracy().subList(0, 2), "the saved history is kept");
        // model, Adam moments and step counts, and the shuffling generator all restored: the same numbers as without the break
        assertEquals(four.history(), resumed.history());
        assertArrayEquals(four.confusion(), resumed.confusion());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> new TrainDemo(spirals(TrainDemo.Arch.bn, 1, true, dir)).train(8, split, Progress.silent()));
        assertTrue(other.getMessage().contains("was trained with --seed 7, not 8"), other.getMessage());
    }

    @Test
    void badDataAndMissingCheckpointAreClearErrors(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        DescentCommandTest.Run r = DescentCommandTest.run("train", "--data", empty.toString(), "--out", dir.resolve("out").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("not a Fashion-MNIST directory") && r.err().contains("train-images-idx3-ubyte"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        DescentCommandTest.Run none = DescentCommandTest.run("train", "--data", dir.resolve("absent").toString(), "--out", dir.toString());
        assertEquals(1, none.code());
        assertTrue(none.err().contains("no such directory"), none.err());
        DescentCommandTest.Run resume = DescentCommandTest.run("train", "--resume", "--out", dir.resolve("fresh").toString());
        assertEquals(1, resume.code());
        assertTrue(resume.err().contains("--resume: no checkpoint at"), resume.err());
        DescentCommandTest.Run arch = DescentCommandTest.run("train", "--arch", "vgg", "--out", dir.toString());
        assertEquals(2, arch.code());
        assertTrue(arch.err().contains("mlp, bn, residual, cnn, resnet"), arch.err());
    }

    @Test
    void readsFashionMnistIdxFilesPlainOrGzipped(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectory(dir.resolve("fake-fashion"));
        writeIdx(data.resolve("train-images-idx3-ubyte.gz"), true, 40, 28, 28);
        writeIdx(data.resolve("train-labels-idx1-ubyte"), false, 40);
        writeIdx(data.resolve("t10k-images-idx3-ubyte"), false, 20, 28, 28);
        writeIdx(data.resolve("t10k-labels-idx1-ubyte.gz"), true, 20);
        TrainDemo.Config c = new TrainDemo.Config(TrainDemo.Arch.residual, data, 1, 8, 1e-3, false, 100, dir.resolve("unused"));
        Section s = new TrainDemo(c).run(1, dir, Progress.silent());
        assertTrue(s.markdown().contains("Data: Fashion-MNIST from " + data + " (40 training and 20 test images)"), s.markdown());
        assertTrue(s.markdown().contains("| Ankle boot |"), "the confusion matrix names the ten classes");
    }

    /** A progress that stops the run (by throwing) when it reports its first epoch, as an interrupted run stops. */
    private static Progress stopAfterOneEpoch() {
        return Progress.reportingTo(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) {
            @Override
            public void println(String line) {
                throw new IllegalStateException("stopped after: " + line);
            }
        });
    }

    @Test
    void resumingAConvolutionalNetContinuesItsScheduleAndItsAugmentation(@TempDir Path dir) throws Exception {
        Path data = fakeFashion(dir, 16, 8);
        for (TrainDemo.Arch arch : List.of(TrainDemo.Arch.cnn, TrainDemo.Arch.resnet)) {
            Path straight = Files.createDirectory(dir.resolve(arch + "-straight")), split = Files.createDirectory(dir.resolve(arch + "-split"));
            java.util.function.BiFunction<Integer, Boolean, TrainDemo> net = (epochs, resume) ->
                    new TrainDemo(new TrainDemo.Config(arch, data, epochs, 8, 1e-3, resume, 100, dir.resolve("unused")));
            TrainDemo.Result three = net.apply(3, false).train(5, straight, Progress.silent());
            // a three-epoch run stopped after its first epoch (the checkpoint is written before the epoch is reported)
            IllegalStateException stop = assertThrows(IllegalStateException.class, () -> net.apply(3, false).train(5, split, stopAfterOneEpoch()));
            assertTrue(stop.getMessage().contains("epoch 1/3"), stop.getMessage());
            // resumed: the ExponentialLR's epoch, the one cycle's step and β₁, the augmentation's generator all travel in
            // the checkpoint, so epochs 2 and 3 are the uninterrupted run's (the cycle resumes for its last two epochs)
            TrainDemo.Result resumed = net.apply(arch.oneCycle() ? null : 2, true).train(5, split, Progress.silent());
            assertEquals(three.history(), resumed.history(), arch.name());
        }
        assertEquals(List.of(), TrainDemo.Arch.cnn.augmentation());
        assertFalse(TrainDemo.Arch.resnet.augmentation().isEmpty());
    }

    @Test
    void aFinishedOneCycleRunIsNotExtendedAndAResumeMayNotRunPastTheCycle(@TempDir Path dir) throws Exception {
        Path data = fakeFashion(dir, 16, 8);
        java.util.function.BiFunction<Integer, Boolean, TrainDemo> resnet = (epochs, resume) ->
                new TrainDemo(new TrainDemo.Config(TrainDemo.Arch.resnet, data, epochs, 8, 1e-3, resume, 100, dir.resolve("unused")));
        assertThrows(IllegalStateException.class, () -> resnet.apply(3, false).train(5, dir, stopAfterOneEpoch()));
        String past = assertThrows(IllegalArgumentException.class, () -> resnet.apply(3, true).train(5, dir, Progress.silent())).getMessage();
        assertTrue(past.contains("is 1 epoch(s) into a one-cycle schedule of 3; --epochs 3 would run past its end, expected at most 2"), past);
        resnet.apply(null, true).train(5, dir, Progress.silent());
        String done = assertThrows(IllegalArgumentException.class, () -> resnet.apply(null, true).train(5, dir, Progress.silent())).getMessage();
        assertTrue(done.contains("finished its one-cycle schedule of 3 epoch(s); a cycle cannot be extended"), done);
    }

    @Test
    void theConvolutionalArchitecturesTrainOnImagesAndRefuseTheSpirals(@TempDir Path dir) throws Exception {
        Path data = fakeFashion(dir, 24, 12);
        for (TrainDemo.Arch arch : List.of(TrainDemo.Arch.cnn, TrainDemo.Arch.resnet)) {
            TrainDemo.Config c = new TrainDemo.Config(arch, data, 1, 8, 1e-3, false, 100, dir.resolve("unused"));
            TrainDemo.Result r = new TrainDemo(c).train(3, Files.createDirectories(dir.resolve(arch.name())), Progress.silent());
            assertArrayEquals(new int[] {24, 1, 28, 28}, r.data().train().inputs().shape(), arch + " gets one-channel images");
            assertEquals(1, r.epochSeconds().size());
            assertTrue(Double.isFinite(r.history().trainLoss().get(0)), arch + " training loss " + r.history().trainLoss());
            int evaluated = java.util.Arrays.stream(r.confusion()).flatMapToInt(java.util.Arrays::stream).sum();
            assertEquals(12, evaluated, "every test image is classified");
        }
        // the spirals are points, not images: the run is refused before it starts, saying why and what to do
        TrainDemo noImages = new TrainDemo(spirals(TrainDemo.Arch.cnn, 1, false, dir));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> noImages.validate(dir));
        assertTrue(e.getMessage().contains("--arch cnn trains on images") && e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }

    /** An IDX file of unsigned bytes (labels 0..9 for rank 1, pixel patterns for rank 3). */
    /** A Fashion-MNIST directory of plain IDX files holding {@code train} and {@code test} random 28x28 images. */
    private static Path fakeFashion(Path dir, int train, int test) throws IOException {
        Path data = Files.createDirectory(dir.resolve("fake-fashion"));
        writeIdx(data.resolve("train-images-idx3-ubyte"), false, train, 28, 28);
        writeIdx(data.resolve("train-labels-idx1-ubyte"), false, train);
        writeIdx(data.resolve("t10k-images-idx3-ubyte"), false, test, 28, 28);
        writeIdx(data.resolve("t10k-labels-idx1-ubyte"), false, test);
        return data;
    }

    static void writeIdx(Path file, boolean gzip, int... shape) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | shape.length);
        int count = 1;
        for (int d : shape) {
            out.writeInt(d);
            count *= d;
        }
        for (int i = 0; i < count; i++) out.writeByte(shape.length == 1 ? i % 10 : (i * 37) % 256);
        try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            o.write(bytes.toByteArray());
        }
    }

    @Test
    void oneEpochOnFashionMnistReachesEightyPercent(@TempDir Path dir) throws Exception {
        assumeTrue(List.of("train-images-idx3-ubyte", "train-images-idx3-ubyte.gz").stream()
                        .anyMatch(f -> Files.isRegularFile(TrainDemo.DEFAULT_DATA.resolve(f))),
                "Fashion-MNIST is not installed in " + TrainDemo.DEFAULT_DATA + " (Debian package dataset-fashion-mnist); skipping");
        TrainDemo.Config c = new TrainDemo.Config(TrainDemo.Arch.mlp, TrainDemo.DEFAULT_DATA, 1, 128, 1e-3, false, 100, TrainDemo.DEFAULT_DATA);
        TrainDemo.Result r = new TrainDemo(c).train(42, dir, Progress.silent());
        assertEquals(10_000, r.data().test().size());
        assertTrue(r.testAccuracy() > 0.80, "test accuracy after one epoch " + r.testAccuracy());
    }
}
