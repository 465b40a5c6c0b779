/**
 * JMH benchmarks of the performance targets of the issues: online SGD throughput (docs/theory.md
 * §1.4), the ODE set-up and integrators (§5), the saddle-point solver (§6), the equivalence
 * diagnostics (§2.5), and deep generators with moment estimation (§7), with {@link org.gequiv.bench.DcganEfficiency}
 * (a plain main) for the float32 DCGAN forward pass against the SGEMM peak and two threads
 * against one, interleaved in one process. Never part of the test run.
 */
package org.gequiv.bench;
