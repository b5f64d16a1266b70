package dev.descent.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a save does to the file system besides writing the new bytes. */
class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void savingOverAFileKeepsItsPermissionsAndANewFileGetsTheUmasksDefault() throws IOException {
        Path file = dir.resolve("shared.safetensors");
        SafeTensors.save(file, Map.of("w", Tensor.vector(1)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        SafeTensors.save(file, Map.of("w", Tensor.vector(2)));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        // a file created as any other would be: the umask's default, not a temporary file's 0600
        Path plain = Files.createFile(dir.resolve("reference"));
        Path fresh = dir.resolve("fresh.safetensors");
        SafeTensors.save(fresh, Map.of("w", Tensor.vector(3)));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(fresh));
    }

    @Test
    void savingThroughASymbolicLinkWritesItsTargetAndKeepsTheLink() throws IOException {
        Path real = Files.createDirectory(dir.resolve("store")).resolve("model.safetensors");
        SafeTensors.save(real, Map.of("w", Tensor.vector(1)));
        Path link = Files.createSymbolicLink(dir.resolve("latest.safetensors"), Path.of("store/model.safetensors"));
        SafeTensors.save(link, Map.of("w", Tensor.vector(5)));
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertArrayEquals(new double[] {5}, SafeTensors.load(real).get("w").toArray());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left beside the link");
        }
    }

    @Test
    void savingIntoAMissingDirectoryNamesIt() {
        Path file = dir.resolve("runs/7/ckpt.safetensors");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> SafeTensors.save(file, Map.of("w", Tensor.vector(1))));
        assertEquals("cannot save " + file + ": the directory " + dir.resolve("runs/7") + " does not exist (" + dir.resolve("runs") + " is missing)",
                e.getMessage());
    }

    @Test
    void staleTemporaryFilesOfDeadSavesAreRemovedOthersKept() throws Exception {
        Path file = dir.resolve("ckpt.safetensors");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = Files.write(dir.resolve(".ckpt.safetensors." + gone.pid() + ".1.tmp"), new byte[1000]);
        Path ownStale = Files.write(dir.resolve(".ckpt.safetensors." + ProcessHandle.current().pid() + ".999999.tmp"), new byte[10]);
        Path live = Files.write(dir.resolve(".ckpt.safetensors.1.1.tmp"), new byte[10]); // pid 1 is always running
        Path otherTarget = Files.write(dir.resolve(".other.safetensors." + gone.pid() + ".1.tmp"), new byte[10]);
        Path notOurs = Files.write(dir.resolve(".ckpt.safetensors.backup.tmp"), new byte[10]);
        SafeTensors.save(file, Map.of("w", Tensor.vector(1)));
        assertFalse(Files.exists(dead), "a dead process's temporary file is removed");
        assertFalse(Files.exists(ownStale), "this process's leftover from a failed save is removed");
        assertTrue(Files.exists(live), "a running process's save is left alone");
        assertTrue(Files.exists(otherTarget), "another target's temporary files are left alone");
        assertTrue(Files.exists(notOurs), "files not named as ours are left alone");
    }
}
