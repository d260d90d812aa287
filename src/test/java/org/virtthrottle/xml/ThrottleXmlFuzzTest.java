package org.virtthrottle.xml;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.testing.HostileInput;
import org.virtthrottle.testing.SeedMutations;

/**
 * Domain XML as any libvirt client may have rewritten it, with upstream's throttle elements and our
 * metadata: it is read, or refused with an error about the XML; every throttle config read from it
 * is written back by our metadata writer and read again unchanged.
 */
class ThrottleXmlFuzzTest {
    private static final List<String> TOKENS = List.of(
            "<",
            ">",
            "</",
            "/>",
            "=",
            "'",
            "\"",
            "&amp;",
            "&#10;",
            "&#13;",
            "&#0;",
            "&#x1F600;",
            "<![CDATA[",
            "]]>",
            "<!--",
            "-->",
            "<?xml version='1.0'?>",
            "<!DOCTYPE d>",
            "xmlns=\"http://virt-throttle.org/xmlns/throttle/1.0\"",
            "xmlns:vt=\"http://virt-throttle.org/xmlns/throttle/1.0\"",
            "vt:",
            "<throttlegroups>",
            "<throttlegroup>",
            "<group_name>",
            "</group_name>",
            "<total_bytes_sec>",
            "</total_bytes_sec>",
            "<devices>",
            "<disk>",
            "<target dev='vdb'/>",
            "<throttlefilters>",
            "<throttlefilter group='g'/>",
            "<metadata>",
            "<domstatus>",
            "-1",
            "99999999999999999999",
            " ",
            "\n",
            "\t");

    static void check(String text) {
        HostileInput.parsedOrRefused(text, message -> message.contains("XML"), () -> {
                    DomainXml domain = DomainXml.parse(text);
                    domain.disks();
                    domain.hasRunningId();
                    return List.of(domain.nativeThrottleConfig(), domain.metadataThrottleConfig());
                })
                .ifPresent(configs -> configs.forEach(ThrottleXmlFuzzTest::survivesOurWriter));
        HostileInput.parsedOrRefused(
                        text, message -> message.contains("XML"), () -> ThrottleConfigXml.fromMetadata(text))
                .ifPresent(ThrottleXmlFuzzTest::survivesOurWriter);
    }

    private static void survivesOurWriter(DomainThrottleConfig config) {
        String written = ThrottleConfigXml.toMetadata(config);
        assertThat(ThrottleConfigXml.fromMetadata(written))
                .as("read back from %s", written)
                .isEqualTo(config);
    }

    @FuzzTest
    void domainXml(byte[] input) {
        check(new String(input, StandardCharsets.UTF_8));
    }

    @Test
    void generatedDomainXml() {
        SeedMutations.check(getClass(), "domainXml", TOKENS, 2000, ThrottleXmlFuzzTest::check);
    }
}
