/**
 * Support for the library's multi-threaded loops (block sampling in the SGD simulation §1.4, the
 * moment estimator §7.2 and the field sampler §2.5), whose results never depend on the thread
 * count because every block draws from its own indexed random stream: {@link
 * org.gequiv.parallel.OrderedBlocks} fills blocks ahead on worker threads and hands them out in
 * index order (the SGD simulation and the moment estimator) on a ForkJoinPool, where {@link
 * org.gequiv.parallel.SplitRows} lets idle workers take pieces of a block still being filled (a
 * deep generator's forward pass, cut at its chunks); {@link org.gequiv.parallel.Futures}
 * waits on work with the worker's exception passed through; and the cooperative
 * {@link org.gequiv.parallel.StopRequest} by which a front end asks a long computation, from another
 * thread, to stop early and return what it has.
 */
package org.gequiv.parallel;
