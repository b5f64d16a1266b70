package dev.descent.examples;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code descent} command: one subcommand per demonstration, each writing charts and a report. */
@Command(name = "descent", mixinStandardHelpOptions = true, version = "descent 0.1.0",
        description = "Demonstrations of how gradient-based training works and fails, as charts and a report.",
        subcommands = {TourCommand.class, DemoCommand.Vanishing.class, DemoCommand.Exploding.class, DemoCommand.Recurrent.class, DemoCommand.Init.class,
                DemoCommand.DyingRelu.class, DemoCommand.Optimizers.class, DemoCommand.GdVariants.class, DemoCommand.Schedules.class,
                DemoCommand.NewtonMethod.class, DemoCommand.Train.class, DemoCommand.GradCheck.class, LabCommand.class,
                CommandLine.HelpCommand.class})
public final class Descent implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: try 'descent tour' or 'descent --help'");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code: 0 on success, 2 on bad usage, 1 when a demo fails. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Descent());
        cli.setOut(out);
        cli.setErr(err);
        // Failures are reported as one line, never a stack trace: bad input is the user's to fix, not a crash.
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("descent " + cmd.getCommandName() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli.execute(args);
    }
}
