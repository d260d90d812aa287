package org.virtthrottle.app;

/** Samples at a steady cadence, as iostat: each {@link #next} waits for its time and returns what was measured since the previous sample. */
public interface Sampler<T> extends AutoCloseable {
    /** Samples {@code millis} after the previous sample (the first: after the start). */
    T next(long millis) throws InterruptedException;

    @Override
    void close();
}
