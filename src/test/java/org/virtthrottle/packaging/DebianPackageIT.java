package org.virtthrottle.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.TestHost;

/**
 * The package checked with lintian, then installed into a clean Debian 12: Java 17 from its Depends
 * (default-jre-headless), no libvirtd.
 */
class DebianPackageIT extends InstalledPackageChecks {
    @Override
    String host() {
        return "bookworm";
    }

    @Override
    int javaFeature() {
        return 17;
    }

    @Test
    void lintianFindsNoErrorOrWarning() {
        String output = TestHost.run(List.of("lintian", "--fail-on", "error,warning", deb.toString()));
        assertThat(output.lines().filter(l -> l.matches("^[EW]: .*"))).isEmpty();
    }
}
