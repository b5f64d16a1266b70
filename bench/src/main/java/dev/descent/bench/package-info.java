/**
 * JMH benchmarks that measure descent against reference implementations in the same run.
 */
package dev.descent.bench;
