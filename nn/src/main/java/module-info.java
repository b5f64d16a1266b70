/** descent's neural-network layers, losses, initialisers, data loading, checkpoints and diagnostics. */
module dev.descent.nn {
    requires transitive dev.descent.core;

    exports dev.descent.nn;
    exports dev.descent.nn.data;
    exports dev.descent.nn.diagnostics;
    exports dev.descent.nn.init;
    exports dev.descent.nn.io;
}
