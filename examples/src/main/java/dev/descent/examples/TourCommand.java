package dev.descent.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The main job: every demonstration with small defaults, in one report. */
@Command(name = "tour", mixinStandardHelpOptions = true,
        description = "Runs every demonstration and writes one report, <out>/tour/index.html (and README.md).")
final class TourCommand implements Callable<Integer> {
    /** Every demonstration, in the order the report shows them. */
    static List<Demo> demos() {
        return List.of(new VanishingDemo(), new ExplodingDemo(), new RecurrentDemo(), new InitDemo(), new DyingReluDemo(), new OptimizersDemo(),
                new GdVariantsDemo(), new SchedulesDemo(), new NewtonDemo(), new TrainDemo(), new GradCheckDemo());
    }

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path dir = DemoCommand.outputDirectory(options.out.resolve("tour"));
        List<Section> sections = new ArrayList<>();
        int charts = 0;
        for (Demo demo : demos()) {
            try (Progress progress = Progress.of(demo.name())) {
                Section s = demo.run(options.seed, dir, progress);
                sections.add(s);
                charts += s.charts().size();
            }
        }
        Path index = Report.write(dir, "A tour of descent",
                "Each section below was produced by one descent subcommand with seed " + options.seed
                        + "; run it alone with ./descent <name> --help for its options.", sections);
        spec.commandLine().getOut().println("descent tour: wrote " + sections.size() + " section(s), " + charts + " chart(s) and " + index);
        return 0;
    }
}
