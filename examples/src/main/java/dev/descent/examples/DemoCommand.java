package dev.descent.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs one demonstration as a subcommand: its charts and report go to {@code --out}/name. */
abstract class DemoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    abstract Demo demo();

    @Override
    public Integer call() throws Exception {
        Demo demo = demo();
        Path dir = outputDirectory(options.out.resolve(demo.name()));
        Section section;
        try (Progress progress = Progress.of(demo.name())) {
            section = demo.run(options.seed, dir, progress);
        }
        Path index = Report.write(dir, "descent " + demo.name(), "Seed " + options.seed + ".", List.of(section));
        spec.commandLine().getOut().println("descent " + demo.name() + ": wrote " + section.charts().size() + " chart(s) and "
                + index + " (and README.md beside it)");
        return 0;
    }

    /** Creates the directory or says plainly why it cannot be written. */
    static Path outputDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the output directory " + dir + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); choose another with --out");
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("the output directory " + dir + " is not writable; choose another with --out");
        }
        return dir;
    }

    @Command(name = "gradcheck", mixinStandardHelpOptions = true,
            description = "Checks every op's gradients against finite differences, plots the finite-difference error "
                    + "against the step h, and shows a wrong backward rule being caught.")
    static final class GradCheck extends DemoCommand {
        @Override
        Demo demo() {
            return new GradCheckDemo();
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Shows symmetric (all-equal) initialisation keeping hidden units identical forever, and zero, Xavier and He "
                    + "initialisation on the activation size through a deep ReLU network.")
    static final class Init extends DemoCommand {
        @Override
        Demo demo() {
            return new InitDemo();
        }
    }

    @Command(name = "dying-relu", mixinStandardHelpOptions = true,
            description = "Shows the fraction of dead ReLU units over training with a high learning rate or a negative bias, "
                    + "against LeakyReLU and ELU.")
    static final class DyingRelu extends DemoCommand {
        @Override
        Demo demo() {
            return new DyingReluDemo();
        }
    }

    @Command(name = "vanishing", mixinStandardHelpOptions = true,
            description = "Shows gradients vanishing layer by layer in a deep sigmoid/tanh network, and ReLU + He init, Xavier init, "
                    + "BatchNorm and residual connections fixing it.")
    static final class Vanishing extends DemoCommand {
        @Override
        Demo demo() {
            return new VanishingDemo();
        }
    }

    @Command(name = "exploding", mixinStandardHelpOptions = true,
            description = "Shows gradients exploding through a badly initialised deep network and through time in a tanh RNN, and "
                    + "clipping, proper init, L2, a smaller learning rate, BatchNorm and residual connections taming them.")
    static final class Exploding extends DemoCommand {
        @Override
        Demo demo() {
            return new ExplodingDemo();
        }
    }

    @Command(name = "optimizers", mixinStandardHelpOptions = true,
            description = "GD, momentum, Nesterov, AdaGrad, RMSprop, Adam (with and without bias correction), NAdam and Lion "
                    + "on Rosenbrock, a saddle point and an ill-conditioned quadratic: paths over contour maps, loss against step.")
    static final class Optimizers extends DemoCommand {
        @Override
        Demo demo() {
            return new OptimizersDemo();
        }
    }

    @Command(name = "gd-variants", mixinStandardHelpOptions = true,
            description = "Full-batch, mini-batch and stochastic gradient descent on the same problem: loss against epochs and "
                    + "wall time, gradient noise against batch size, and SGD's noise escaping a shallow minimum.")
    static final class GdVariants extends DemoCommand {
        @Override
        Demo demo() {
            return new GdVariantsDemo();
        }
    }

    @Command(name = "recurrent", mixinStandardHelpOptions = true,
            description = "Shows gradients vanishing through time in a tanh RNN and not in an LSTM or a GRU on the adding problem: "
                    + "the gradient reaching each input step, test accuracy against sequence length 10 to 200 through a curriculum, "
                    + "and the LSTM's forget-gate bias (0, 1 and chrono).")
    static final class Recurrent extends DemoCommand {
        @Override
        Demo demo() {
            return new RecurrentDemo();
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Trains an MLP on Fashion-MNIST when its IDX files are found, otherwise on synthetic spirals (and says "
                    + "which): test accuracy, confusion matrix, loss and accuracy curves, a checkpoint to --resume from.")
    static final class Train extends DemoCommand {
        @picocli.CommandLine.Option(names = "--arch", defaultValue = "mlp",
                description = "mlp (two hidden ReLU layers), bn (with BatchNorm), residual (two residual blocks), cnn (two conv + pool "
                        + "stages) or resnet (three BasicBlocks); cnn and resnet need Fashion-MNIST (default: ${DEFAULT-VALUE}).")
        TrainDemo.Arch arch;

        @picocli.CommandLine.Option(names = "--data", paramLabel = "DIR",
                description = "Directory with the Fashion-MNIST IDX files (default: /usr/share/datasets/fashion-mnist if present, "
                        + "else synthetic spirals).")
        Path data;

        @picocli.CommandLine.Option(names = "--epochs", description = "Epochs to train, or to add on --resume (default: 5 on Fashion-MNIST, 30 on spirals).")
        Integer epochs;

        @picocli.CommandLine.Option(names = "--batch-size", description = "Mini-batch size (default: 128 on Fashion-MNIST, 32 on spirals).")
        Integer batchSize;

        @picocli.CommandLine.Option(names = "--lr", description = "Adam's learning rate (default: 0.001 on Fashion-MNIST, 0.01 on spirals).")
        Double lr;

        @picocli.CommandLine.Option(names = "--resume", description = "Continue from the checkpoint in the output directory.")
        boolean resume;

        @Override
        Demo demo() {
            TrainDemo.Config d = TrainDemo.Config.defaults();
            TrainDemo demo = new TrainDemo(new TrainDemo.Config(arch, data, epochs, batchSize, lr, resume, d.spiralPoints(), d.defaultData()));
            demo.validate(options.out.resolve(demo.name())); // bad input is reported before any progress bar starts
            return demo;
        }
    }

    @Command(name = "schedules", mixinStandardHelpOptions = true,
            description = "Shows step decay, exponential, cosine, warm restarts, one-cycle and warmup + cosine learning-rate schedules: "
                    + "their curves, their effect on training the same network, and the LR finder's suggestion.")
    static final class Schedules extends DemoCommand {
        @Override
        Demo demo() {
            return new SchedulesDemo();
        }
    }

    @Command(name = "newton", mixinStandardHelpOptions = true,
            description = "Compares Newton's method with gradient descent on quadratics of growing condition number, shows its quadratic "
                    + "convergence, a saddle that undamped Newton goes to and damping escapes, and Armijo line search on Rosenbrock.")
    static final class NewtonMethod extends DemoCommand {
        @Override
        Demo demo() {
            return new NewtonDemo();
        }
    }
}
