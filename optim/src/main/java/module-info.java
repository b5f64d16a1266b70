/** descent's optimizers, gradient clipping and learning-rate schedules, over any list of tensors. */
module dev.descent.optim {
    requires transitive dev.descent.core;
    requires jdk.incubator.vector;

    exports dev.descent.optim;
    exports dev.descent.optim.clip;
    exports dev.descent.optim.schedule;
}
