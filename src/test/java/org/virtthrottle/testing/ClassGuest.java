package org.virtthrottle.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;

/**
 * The one guest ({@link TestGuest}, {@link LinuxGuest}) that all tests of a class share: started the
 * first time the class asks for it, removed after the class's {@code @AfterAll} methods, also when a
 * test, a {@code @BeforeAll} method or the start itself failed. Declare it as a static
 * {@code @RegisterExtension} field, and ask for the guest in an instance field, so that it runs before
 * the class's {@code @BeforeAll} methods (with {@code @TestInstance(PER_CLASS)}, the instance is made
 * before them):
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(() -> TestGuest.start());
 *
 * private final TestGuest guest = GUEST.guest();
 * private final String dom = guest.name();
 * }</pre>
 *
 * A guest a single test needs is better made in that test, with try-with-resources.
 */
public final class ClassGuest<G extends AutoCloseable>
        implements TestInstancePreConstructCallback, BeforeAllCallback, AfterAllCallback {
    private final Supplier<G> start;
    /** The test class this guest belongs to, from its first callback until its {@code afterAll}. */
    private Class<?> testClass;

    private G guest;

    private ClassGuest(Supplier<G> start) {
        this.start = start;
    }

    /** A guest started by {@code start} (e.g. {@code () -> TestGuest.start(disks)}) when first asked for. */
    public static <G extends AutoCloseable> ClassGuest<G> startedBy(Supplier<G> start) {
        return new ClassGuest<>(start);
    }

    /**
     * The running guest, started on the first call. Only while the test class runs: outside it nothing
     * would remove the guest again.
     */
    public synchronized G guest() {
        if (testClass == null) {
            throw new IllegalStateException("a ClassGuest must be a static @RegisterExtension field of the test class"
                    + " and is asked for only while that class runs; otherwise nothing removes its guest");
        }
        if (guest == null) {
            guest = start.get();
        }
        return guest;
    }

    @Override
    public synchronized void preConstructTestInstance(
            TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        begin(context);
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        begin(context);
    }

    /** Remembers the class that runs; a {@code @Nested} class's callbacks come later and change nothing. */
    private void begin(ExtensionContext context) {
        if (testClass == null) {
            testClass = context.getRequiredTestClass();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
        if (context.getRequiredTestClass() != testClass) {
            return;
        }
        G started = guest;
        guest = null;
        testClass = null;
        if (started != null) {
            started.close();
        }
    }
}
