/**
 * Checkpoints: tensors saved in the safetensors format (readable by the Python {@code safetensors} library, and by
 * PyTorch through {@link dev.descent.nn.io.TorchStateDict}, with a checksum checked on load), written atomically and
 * durably ({@link dev.descent.nn.io.AtomicFile}), and {@link dev.descent.nn.io.Checkpoint} of a whole
 * {@link dev.descent.nn.io.TrainingState} (model, optimizer, scheduler, data loader, generators, counters) restored
 * strictly and all or nothing, so a run resumes bit for bit.
 */
package dev.descent.nn.io;
