package dev.descent.examples;

import dev.descent.examples.lab.LabServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code descent lab}: the interactive playgrounds in the browser, served from 127.0.0.1 until Ctrl-C. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Starts a local web page (127.0.0.1 only) with an optimizer playground and a network playground, computed live "
                + "by descent; prints its address and serves it until Ctrl-C.")
final class LabCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "0", description = "Port on 127.0.0.1 (default: 0, any free port).")
    int port;

    @Option(names = "--no-open", description = "Do not open the page in a browser (it is opened only when a desktop is present).")
    boolean noOpen;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LabServer server = LabServer.start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        PrintWriter out = spec.commandLine().getOut();
        out.println("descent lab: serving " + server.uri() + " (press Ctrl-C to stop)");
        out.flush();
        if (!noOpen) openInBrowser(server.uri().toString());
        stopped.await();
        return 0;
    }

    /** Opens the page with xdg-open when there is a desktop session (a display) and the tool exists; silent otherwise. */
    private static void openInBrowser(String url) {
        boolean desktop = System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null;
        if (!desktop || !Files.isExecutable(Path.of("/usr/bin/xdg-open"))) return;
        try {
            new ProcessBuilder("/usr/bin/xdg-open", url).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException e) {
            // the address is printed; opening it is only a convenience
        }
    }
}
