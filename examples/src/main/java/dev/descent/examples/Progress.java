package dev.descent.examples;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress of long work, drawn as a bar on the terminal (stderr); silent when switched off (tests). */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    static Progress of(String task) {
        return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(-1)
                .setStyle(ProgressBarStyle.ASCII).continuousUpdate().build());
    }

    static Progress silent() {
        return new Progress(null);
    }

    /** Sets how many steps the work has. */
    void total(long steps) {
        if (bar != null) bar.maxHint(steps);
    }

    void step() {
        if (bar != null) bar.step();
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
