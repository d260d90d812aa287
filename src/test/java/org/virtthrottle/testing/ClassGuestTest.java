package org.virtthrottle.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * ClassGuest in real JUnit runs of small test classes (below, run only from here), with a stand-in
 * for the guest: started once, before the class's {@code @BeforeAll} methods; removed after its
 * {@code @AfterAll} methods, also when a test or a {@code @BeforeAll} method fails.
 */
class ClassGuestTest {
    /** What happened in the last run, in order. */
    private static final List<String> EVENTS = new ArrayList<>();

    /** A guest that only records its start and its removal. */
    static final class RecordedGuest implements AutoCloseable {
        RecordedGuest() {
            EVENTS.add("started");
        }

        @Override
        public void close() {
            EVENTS.add("removed");
        }
    }

    /** Where the next run of PerClassTests fails on purpose. */
    enum Failure {
        NOWHERE,
        BEFORE_ALL,
        TEST
    }

    private static Failure failure = Failure.NOWHERE;

    private static void failIn(Failure here) {
        if (failure == here) {
            throw new AssertionError("failed on purpose in " + here);
        }
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassTests {
        @RegisterExtension
        static final ClassGuest<RecordedGuest> GUEST = ClassGuest.startedBy(RecordedGuest::new);

        private final RecordedGuest guest = GUEST.guest();

        @BeforeAll
        void prepare() {
            EVENTS.add("beforeAll");
            failIn(Failure.BEFORE_ALL);
        }

        @AfterAll
        void cleanUp() {
            EVENTS.add("afterAll");
        }

        @RepeatedTest(2)
        void asksAgain() {
            assertThat(GUEST.guest()).isSameAs(guest);
            EVENTS.add("test");
            failIn(Failure.TEST);
        }
    }

    /** The default lifecycle, an instance per test: still one guest for both. */
    static class PerMethodTests {
        @RegisterExtension
        static final ClassGuest<RecordedGuest> GUEST = ClassGuest.startedBy(RecordedGuest::new);

        private final RecordedGuest guest = GUEST.guest();

        @RepeatedTest(2)
        void newInstance() {
            EVENTS.add("test " + (guest == GUEST.guest()));
        }
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectClass(testClass))
                                .build(),
                        listener);
        return listener.getSummary();
    }

    @BeforeEach
    void forgetEarlierRuns() {
        EVENTS.clear();
        failure = Failure.NOWHERE;
    }

    @Test
    void theGuestStartsBeforeBeforeAllAndIsRemovedAfterAfterAll() {
        TestExecutionSummary summary = run(PerClassTests.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        assertThat(EVENTS).containsExactly("started", "beforeAll", "test", "test", "afterAll", "removed");
    }

    @Test
    void testsWithAnInstanceEachShareOneGuest() {
        TestExecutionSummary summary = run(PerMethodTests.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        assertThat(EVENTS).containsExactly("started", "test true", "test true", "removed");
    }

    @Test
    void theGuestIsRemovedWhenATestFails() {
        failure = Failure.TEST;

        TestExecutionSummary summary = run(PerClassTests.class);

        assertThat(summary.getTestsFailedCount()).isEqualTo(2);
        assertThat(EVENTS).containsExactly("started", "beforeAll", "test", "test", "afterAll", "removed");
    }

    @Test
    void theGuestIsRemovedWhenBeforeAllFails() {
        failure = Failure.BEFORE_ALL;

        TestExecutionSummary summary = run(PerClassTests.class);

        assertThat(summary.getTestsSucceededCount()).isZero();
        assertThat(summary.getTotalFailureCount()).isEqualTo(1);
        assertThat(EVENTS).containsExactly("started", "beforeAll", "afterAll", "removed");
    }

    @Test
    void aGuestOutsideARunningTestClassIsRefusedAndNeverStarted() {
        ClassGuest<RecordedGuest> unregistered = ClassGuest.startedBy(RecordedGuest::new);

        assertThatThrownBy(unregistered::guest)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("static @RegisterExtension field");
        assertThat(EVENTS).isEmpty();
    }
}
