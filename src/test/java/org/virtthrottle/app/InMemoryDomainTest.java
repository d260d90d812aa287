package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.Side;
import org.virtthrottle.qmp.QmpCommand;
import org.virtthrottle.xml.DomainXml;

/** The fake itself keeps libvirt's and QEMU's ways, or the use case tests above it prove nothing. */
class InMemoryDomainTest {
    private static final GuestXml GUEST = GuestXml.with(GuestXml.Disk.virtio("vda"));
    private static final DomainThrottleConfig CHAIN = DomainThrottleConfig.EMPTY.withChain("vda", FilterChain.of("a"));

    @Test
    void ourMetadataElementIsInTheDomainXmlOfItsSideOnlyUnderOurNamespace() {
        InMemoryDomain domain =
                InMemoryDomain.running(GUEST.live(7), GUEST.config()).recorded(Side.LIVE, CHAIN);

        DomainXml live = DomainXml.parse(domain.xml(Side.LIVE));

        assertThat(live.metadataThrottleConfig()).isEqualTo(CHAIN);
        assertThat(live.hasRunningId()).isTrue();
        assertThat(DomainXml.parse(domain.xml(Side.CONFIG)).hasThrottleMetadata())
                .isFalse();
        assertThat(domain.throttleMetadata(Side.LIVE).element())
                .startsWith("<vt:throttle xmlns:vt=\"http://virt-throttle.org/xmlns/throttle/1.0\">");
        assertThat(domain.throttleMetadata(Side.CONFIG)).isEqualTo(new Domain.ThrottleMetadata(true, null));
    }

    @Test
    void aShutOffDomainShowsItsConfigAsLiveAndHasNoLiveMetadataNorQemu() {
        InMemoryDomain domain = InMemoryDomain.shutOff(GUEST.config());

        assertThat(domain.id()).isEqualTo(-1);
        assertThat(DomainXml.parse(domain.xml(Side.LIVE)).hasRunningId()).isFalse();
        assertThat(domain.throttleMetadata(Side.LIVE)).isEqualTo(new Domain.ThrottleMetadata(false, null));
        assertThatThrownBy(() -> domain.send(QmpCommand.queryIothreads().toJsonText()))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void anUnscriptedReadFailsAndAnUnscriptedChangeSucceedsAsInQemu() {
        ScriptedQmp qmp = new ScriptedQmp().returns("qom-list", "[]");

        assertThat(qmp.send(QmpCommand.qomList("/objects").toJsonText())).isEqualTo("{\"return\": []}");
        assertThat(qmp.send(QmpCommand.objectDel("throttle-a").toJsonText())).isEqualTo("{\"return\": {}}");
        assertThatThrownBy(() -> qmp.send(QmpCommand.queryBlockGraph().toJsonText()))
                .isInstanceOf(AssertionError.class);
        assertThat(qmp.executed()).containsExactly("qom-list", "object-del", "x-debug-query-block-graph");
    }
}
