package org.virtthrottle.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.virtthrottle.app.PlanRunner;
import org.virtthrottle.cli.Main;

/**
 * virt-throttle's main with a crash point: after step {@code virtthrottle.test.parkAfterStep} (counted
 * over every plan the process runs) it prints {@link #MARKER} and the step's name on stderr and waits,
 * to be killed there, or to go on once the file {@code virtthrottle.test.releaseFile} exists. A test
 * class, never in the jar: production code has no way to park.
 */
public final class ParkingMain {
    public static final String MARKER = "virt-throttle test: parked after step ";

    private ParkingMain() {}

    public static void main(String[] args) {
        int parkAfter = Integer.parseInt(System.getProperty("virtthrottle.test.parkAfterStep"));
        String release = System.getProperty("virtthrottle.test.releaseFile", "");
        int[] done = {0};
        PlanRunner.afterEachStep(step -> {
            if (++done[0] != parkAfter) {
                return;
            }
            System.err.println(MARKER + parkAfter + ": " + step.name());
            System.err.flush();
            while (release.isEmpty() || !Files.exists(Path.of(release))) {
                TestHost.sleep(20);
            }
        });
        Main.main(args);
    }
}
