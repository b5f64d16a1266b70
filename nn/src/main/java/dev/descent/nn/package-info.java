/**
 * Neural-network modules and layers built on {@code dev.descent.core} tensors.
 */
package dev.descent.nn;
