/** A program that uses descent from the module path. */
module dev.descent.consumer {
    requires dev.descent.nn;
    requires dev.descent.optim;

    exports dev.descent.consumer;
}
