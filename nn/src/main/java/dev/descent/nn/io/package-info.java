/**
 * Checkpoints: state dicts saved in the safetensors format (readable by the Python {@code safetensors} library, and
 * by PyTorch through {@link dev.descent.nn.io.TorchStateDict}),
 * written atomically, with corrupt or truncated files rejected on load.
 */
package dev.descent.nn.io;
