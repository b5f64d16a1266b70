/**
 * {@code descent lab}: a local web page whose optimizer and network playgrounds are computed by descent itself.
 *
 * <p>{@link dev.descent.examples.lab.LabServer} serves one static page (plain HTML, JavaScript and canvas, nothing
 * from the network) and a few JSON endpoints on the loopback address only. The optimizer playground runs descent's
 * optimizers on 2-D landscapes ({@link dev.descent.examples.lab.Landscape}); the network playground trains a small
 * classifier on a 2-D data set, a bounded number of steps per request, in one session per browser tab
 * ({@link dev.descent.examples.lab.NetworkSession}).
 */
package dev.descent.examples.lab;
