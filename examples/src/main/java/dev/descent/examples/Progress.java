package dev.descent.examples;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work. On a terminal it is a bar on stderr; elsewhere (a pipe, a log file, CI) a bar's {@code \r}
 * frames would pile up on one line, so it writes one line when the work starts and one when it ends, with the time.
 * {@link #report} lines (a demo's per-epoch summary, say) go to stdout either way. Silent when switched off (tests).
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;
    private final String task;
    private final PrintStream lines;
    private final long start = System.nanoTime();

    private Progress(ProgressBar bar, String task, PrintStream lines) {
        this.bar = bar;
        this.task = task;
        this.lines = lines;
    }

    static Progress of(String task) {
        if (onTerminal()) {
            return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(-1).setStyle(ProgressBarStyle.ASCII).continuousUpdate().build(),
                    task, System.out);
        }
        System.err.println(task + ": running");
        return new Progress(null, task, System.out);
    }

    /** Whether stdout and stderr are an interactive terminal (JDK 22+: a console exists even when they are redirected). */
    static boolean onTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    /** No bar and no start or end lines: only {@link #report} lines, to {@code lines}. */
    static Progress reportingTo(PrintStream lines) {
        return new Progress(null, null, lines);
    }

    static Progress silent() {
        return new Progress(null, null, null);
    }

    /** Sets how many steps the work has. */
    void total(long steps) {
        if (bar != null) bar.maxHint(steps);
    }

    void step() {
        if (bar != null) bar.step();
    }

    /** Counts {@code n} steps at once (work measured in units whose cost varies from call to call). */
    void step(long n) {
        if (bar != null) bar.stepBy(n);
    }

    /** Writes one line of results on stdout (clearing the bar's line first on a terminal; the bar redraws itself below). */
    void report(String line) {
        if (lines == null) return;
        if (bar != null) System.err.print("\r\033[2K");
        lines.println(line);
        lines.flush();
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
        else if (task != null) System.err.printf(java.util.Locale.ROOT, "%s: done in %.1f s%n", task, (System.nanoTime() - start) / 1e9);
    }
}
