package org.virtthrottle.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.InvalidConfigException;

/** Where virt-throttle differs from virsh 9.0 on purpose (DiskPrintXmlIT compares the rest with virsh). */
class DiskDefinitionTest {
    private static DiskDefinition nbd(String hostName, String serial) {
        return new DiskDefinition(
                "exp",
                "sdb",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new DiskDefinition.NetworkSource("nbd", hostName, null, null),
                serial,
                null,
                null,
                null,
                false,
                false,
                null,
                new FilterChain(List.of("a")));
    }

    @Test
    void bracketedIpv6HostsKeepTheirColons() {
        assertThat(nbd("[::1]:10809", null).toXml(false)).contains("<host name='::1' port='10809'/>");
        assertThat(nbd("[fe80::1]", null).toXml(false)).contains("<host name='fe80::1'/>");
    }

    @Test
    void everyValueIsEscaped() {
        assertThat(nbd("h", "a<b&'c\"").toXml(false)).contains("<serial>a&lt;b&amp;&apos;c&quot;</serial>");
    }

    @Test
    void throttleFiltersOnlyWhenAskedFor() {
        assertThat(nbd("h", null).toXml(false)).doesNotContain("throttlefilter");
        assertThat(nbd("h", null).toXml(true))
                .contains("  <throttlefilters>\n    <throttlefilter group='a'/>\n  </throttlefilters>\n");
    }

    @Test
    void aHostNeedsAProtocol() {
        assertThatThrownBy(() -> new DiskDefinition(
                        "exp",
                        "sdb",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new DiskDefinition.NetworkSource(null, "h", null, null),
                        null,
                        null,
                        null,
                        null,
                        false,
                        false,
                        null,
                        null))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("Option --source-protocol is required by option --source-host-name");
    }
}
