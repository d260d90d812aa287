package org.virtthrottle.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleGroup;

/**
 * Our reader on upstream libvirt 11.3's own test XML, read in place from the shared reference
 * material next to the repository (never copied into it): ../shared/reference/libvirt-11.3-tests,
 * as CI and every developer checkout have it. Missing, the test fails and says where it looked.
 */
class UpstreamReferenceXmlTest {
    private static final Path TESTS = Path.of("..", "shared", "reference", "libvirt-11.3-tests");

    private static Path reference(String file) {
        Path path = TESTS.resolve(file);
        if (!Files.exists(path)) {
            throw new AssertionError("upstream libvirt 11.3's test XML is expected at " + path.toAbsolutePath()
                    + " (shared/reference beside the repository)");
        }
        return path;
    }

    private static DomainThrottleConfig read(String file) throws IOException {
        return DomainXml.parse(Files.readString(reference(file))).nativeThrottleConfig();
    }

    @Test
    void readsUpstreamsGroupsAndChainsFromTheNativeForm() throws IOException {
        DomainThrottleConfig config = read("throttlefilter.xml");

        assertThat(config.groups())
                .extracting(ThrottleGroup::name)
                .containsExactly("limit0", "limit1", "limit2", "limit12", "limit3");
        assertThat(config.group("limit0").orElseThrow().limits().nonZero())
                .isEqualTo(Map.of(LimitField.TOTAL_BYTES_SEC, 4000L, LimitField.TOTAL_IOPS_SEC, 4000L));
        assertThat(config.group("limit12").orElseThrow().limits().nonZero())
                .isEqualTo(Map.of(
                        LimitField.READ_BYTES_SEC,
                        7000L,
                        LimitField.WRITE_BYTES_SEC,
                        7000L,
                        LimitField.TOTAL_IOPS_SEC,
                        7000L));
        assertThat(config.chains())
                .containsExactly(
                        Map.entry("vda", new FilterChain(List.of("limit0"))),
                        Map.entry("vdb", new FilterChain(List.of("limit1", "limit12"))),
                        Map.entry("vdc", new FilterChain(List.of("limit2", "limit12"))));
        assertThat(config.groups()).allSatisfy(g -> g.limits().validated());
    }

    @Test
    void readsTheLiveStatusFormWithNodeNames() throws IOException {
        DomainThrottleConfig config = read("throttlefilter-status-out.xml");

        assertThat(config.chains().get("vda")).isEqualTo(new FilterChain(List.of("limit0", "limit012")));
        assertThat(config.groups()).isNotEmpty();
    }

    @Test
    void theInvalidExampleHasIotuneBesideFilters() throws IOException {
        List<DiskInfo> disks = DomainXml.parse(Files.readString(reference("throttlefilter-invalid.xml")))
                .disks();
        DomainThrottleConfig config = read("throttlefilter-invalid.xml");

        assertThat(disks).anySatisfy(d -> {
            assertThat(d.hasIotune()).isTrue();
            assertThat(config.chains()).containsKey(d.target());
        });
    }
}
