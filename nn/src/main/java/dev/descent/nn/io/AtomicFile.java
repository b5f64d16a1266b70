package dev.descent.nn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replaces a file's contents atomically and durably: after {@link #write} returns the new bytes are on disk, and a
 * crash at any moment (power loss, {@code SIGKILL}) leaves either the old file or the new one, never a mix.
 *
 * <p>The steps: follow a symbolic link to the file it names (the link stays a link); write a temporary sibling
 * {@code .<name>.<pid>.<n>.tmp} with the existing file's permissions (a new file gets the default ones of the
 * umask); force it to disk; sync the directory; rename it over the target; sync the directory again. Before writing,
 * temporary files of the same target left by saves that died (their process is gone, or it is this one and no save of
 * it is running) are deleted. A save into a directory that does not exist names that directory.
 *
 * <p>What breaks the promise: a file system without atomic rename (then the rename is a plain replace) or one that
 * cannot sync a directory (then the rename is atomic but may not survive power loss); a process id reused by a live
 * process keeps that dead save's temporary file until the process ends.
 */
public final class AtomicFile {
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();
    private static final int MAX_LINKS = 40;

    private AtomicFile() {}

    /**
     * Writes {@code bytes} to {@code file} (or to the file a symbolic link {@code file} points to) as described above.
     *
     * @throws UncheckedIOException naming the file and the cause; the previous contents are then intact
     */
    public static void write(Path file, byte[] bytes) {
        Path target = resolveLinks(file);
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Path missing = dir;
            while (missing.getParent() != null && !Files.isDirectory(missing.getParent())) missing = missing.getParent();
            throw new UncheckedIOException("cannot save " + file + ": the directory " + dir + " does not exist"
                    + (missing.equals(dir) ? "" : " (" + missing + " is missing)"), new NoSuchFileException(dir.toString()));
        }
        String name = target.getFileName().toString();
        Path tmp = dir.resolve("." + name + "." + PID + "." + COUNTER.incrementAndGet() + ".tmp");
        IN_FLIGHT.add(tmp);
        try {
            removeStaleTemporaries(dir, name);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            copyPermissions(target, tmp);
            syncDirectory(dir);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file + (target.equals(file) ? "" : " (the link's target " + target + ")") + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the failure being reported matters more; the next save of this target removes the leftover
            }
            IN_FLIGHT.remove(tmp);
        }
    }

    /** The file a chain of symbolic links ends at (which need not exist yet), or {@code file} itself. */
    static Path resolveLinks(Path file) {
        Path p = file;
        for (int i = 0; Files.isSymbolicLink(p); i++) {
            if (i == MAX_LINKS) throw new UncheckedIOException("cannot save " + file + ": more than " + MAX_LINKS + " levels of symbolic links",
                    new FileSystemException(file.toString()));
            try {
                Path next = Files.readSymbolicLink(p);
                p = p.toAbsolutePath().resolveSibling(next).normalize();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save " + file + ": cannot read the symbolic link " + p + ": " + e, e);
            }
        }
        return p;
    }

    /** Deletes {@code .<name>.<pid>.<n>.tmp} files whose save is no longer running. */
    static void removeStaleTemporaries(Path dir, String name) throws IOException {
        String prefix = "." + name + ".";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> {
            String f = p.getFileName().toString();
            return f.startsWith(prefix) && f.endsWith(".tmp");
        })) {
            for (Path p : entries) {
                String f = p.getFileName().toString();
                String[] middle = f.substring(prefix.length(), f.length() - ".tmp".length()).split("\\.");
                if (middle.length != 2 || !middle[0].matches("\\d{1,18}") || !middle[1].matches("\\d{1,18}")) continue; // not one of ours
                long pid = Long.parseLong(middle[0]);
                boolean running = pid == PID ? IN_FLIGHT.contains(p) : ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (!running) Files.deleteIfExists(p);
            }
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) return;
        PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (source == null) return; // not a POSIX file system: the platform's defaults apply
        Files.setPosixFilePermissions(to, source.readAttributes().permissions());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every file system lets a directory be opened for syncing; the rename itself is still atomic
        }
    }
}
