package org.virtthrottle.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.xmlunit.assertj3.XmlAssert;

class ThrottleConfigXmlTest {

    private static ThrottleLimits limits(Object... fieldsAndValues) {
        Map<LimitField, Long> values = new EnumMap<>(LimitField.class);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            values.put((LimitField) fieldsAndValues[i], ((Number) fieldsAndValues[i + 1]).longValue());
        }
        return ThrottleLimits.of(values);
    }

    /** Names that need escaping in element text and in attribute values; chains for two disks. */
    static DomainThrottleConfig awkward() {
        return new DomainThrottleConfig(
                        List.of(
                                new ThrottleGroup(
                                        "fast & <loud>",
                                        limits(
                                                LimitField.TOTAL_BYTES_SEC, 10_485_760,
                                                LimitField.TOTAL_BYTES_SEC_MAX, 20_971_520,
                                                LimitField.TOTAL_BYTES_SEC_MAX_LENGTH, 30)),
                                new ThrottleGroup(
                                        "say \"hi\"",
                                        limits(
                                                LimitField.READ_IOPS_SEC, 500,
                                                LimitField.WRITE_IOPS_SEC, 200,
                                                LimitField.SIZE_IOPS_SEC, 4096)),
                                new ThrottleGroup("it's plain", limits(LimitField.TOTAL_IOPS_SEC, 1000))),
                        Map.of())
                .withChain("vda", FilterChain.of("it's plain", "fast & <loud>"))
                .withChain("vdb", FilterChain.of("say \"hi\""));
    }

    private static final String AWKWARD_XML =
            """
            <throttle>
              <throttlegroups>
                <throttlegroup>
                  <total_bytes_sec>10485760</total_bytes_sec>
                  <total_bytes_sec_max>20971520</total_bytes_sec_max>
                  <total_bytes_sec_max_length>30</total_bytes_sec_max_length>
                  <group_name>fast &amp; &lt;loud&gt;</group_name>
                </throttlegroup>
                <throttlegroup>
                  <read_iops_sec>500</read_iops_sec>
                  <write_iops_sec>200</write_iops_sec>
                  <size_iops_sec>4096</size_iops_sec>
                  <group_name>say "hi"</group_name>
                </throttlegroup>
                <throttlegroup>
                  <total_iops_sec>1000</total_iops_sec>
                  <group_name>it's plain</group_name>
                </throttlegroup>
              </throttlegroups>
              <devices>
                <disk>
                  <target dev="vda"/>
                  <throttlefilters>
                    <throttlefilter group="it's plain"/>
                    <throttlefilter group="fast &amp; &lt;loud&gt;"/>
                  </throttlefilters>
                </disk>
                <disk>
                  <target dev="vdb"/>
                  <throttlefilters>
                    <throttlefilter group='say "hi"'/>
                  </throttlefilters>
                </disk>
              </devices>
            </throttle>
            """;

    @Test
    void metadataIsWrittenInUpstreamSchema() {
        String xml = ThrottleConfigXml.toMetadata(awkward());

        XmlAssert.assertThat(xml).and(AWKWARD_XML).ignoreWhitespace().areSimilar();
    }

    @Test
    void indentedMetadataHasTheSameContent() {
        String xml = ThrottleConfigXml.toMetadata(awkward(), true);

        assertThat(xml).contains("\n  <throttlegroups>");
        XmlAssert.assertThat(xml).and(AWKWARD_XML).ignoreWhitespace().areSimilar();
    }

    @Test
    void groupNameComesLastInEachGroup() {
        String xml = ThrottleConfigXml.toMetadata(awkward());

        XmlAssert.assertThat(xml)
                .nodesByXPath("/throttle/throttlegroups/throttlegroup/*[last()]")
                .extractingText()
                .containsExactly("fast & <loud>", "say \"hi\"", "it's plain");
        XmlAssert.assertThat(xml)
                .nodesByXPath("/throttle/throttlegroups/throttlegroup/*[last()]")
                .allSatisfy(n -> assertThat(n.getNodeName()).isEqualTo("group_name"));
    }

    @Test
    void limitsAreWrittenInUpstreamFieldOrder() {
        String xml = ThrottleConfigXml.toMetadata(awkward());

        XmlAssert.assertThat(xml)
                .nodesByXPath("/throttle/throttlegroups/throttlegroup[2]/*")
                .extracting(n -> n.getNodeName())
                .containsExactly("read_iops_sec", "write_iops_sec", "size_iops_sec", "group_name");
    }

    @Test
    void onlyNonZeroValuesAreWritten() {
        Map<LimitField, Long> values = new EnumMap<>(LimitField.class);
        values.put(LimitField.TOTAL_BYTES_SEC, 0L);
        values.put(LimitField.READ_IOPS_SEC, 7L);
        values.put(LimitField.WRITE_IOPS_SEC, 0L);
        DomainThrottleConfig config =
                DomainThrottleConfig.EMPTY.withGroup(new ThrottleGroup("z", ThrottleLimits.of(values)));

        String xml = ThrottleConfigXml.toMetadata(config);

        XmlAssert.assertThat(xml)
                .and(
                        """
                <throttle>
                  <throttlegroups>
                    <throttlegroup>
                      <read_iops_sec>7</read_iops_sec>
                      <group_name>z</group_name>
                    </throttlegroup>
                  </throttlegroups>
                </throttle>
                """)
                .ignoreWhitespace()
                .areSimilar();
    }

    @Test
    void roundTripGivesBackTheSameConfig() {
        DomainThrottleConfig config = awkward();

        DomainThrottleConfig back = ThrottleConfigXml.fromMetadata(ThrottleConfigXml.toMetadata(config));

        assertThat(back).isEqualTo(config);
        assertThat(back.groups())
                .extracting(ThrottleGroup::name)
                .containsExactly("fast & <loud>", "say \"hi\"", "it's plain");
        assertThat(back.chains())
                .containsExactly(
                        entry("vda", FilterChain.of("it's plain", "fast & <loud>")),
                        entry("vdb", FilterChain.of("say \"hi\"")));
    }

    @Test
    void emptyConfigIsABareElementAndReadsBackEmpty() {
        String xml = ThrottleConfigXml.toMetadata(DomainThrottleConfig.EMPTY);

        XmlAssert.assertThat(xml).and("<throttle/>").areIdentical();
        assertThat(ThrottleConfigXml.fromMetadata(xml).isEmpty()).isTrue();
    }

    @Test
    void readsTheNamespacedElementLibvirtReturns() {
        String fromLibvirt =
                """
                <vt:throttle xmlns:vt="http://virt-throttle.org/xmlns/throttle/1.0">
                  <vt:throttlegroups>
                    <vt:throttlegroup>
                      <vt:write_bytes_sec>1024</vt:write_bytes_sec>
                      <vt:group_name>w</vt:group_name>
                    </vt:throttlegroup>
                  </vt:throttlegroups>
                  <vt:devices>
                    <vt:disk>
                      <vt:target dev="sdb"/>
                      <vt:throttlefilters><vt:throttlefilter group="w"/></vt:throttlefilters>
                    </vt:disk>
                  </vt:devices>
                </vt:throttle>
                """;

        DomainThrottleConfig config = ThrottleConfigXml.fromMetadata(fromLibvirt);

        assertThat(config.groups()).containsExactly(new ThrottleGroup("w", limits(LimitField.WRITE_BYTES_SEC, 1024)));
        assertThat(config.chains()).containsExactly(entry("sdb", FilterChain.of("w")));
    }

    @Test
    void malformedNumberNamesTheFieldAndTheGroup() {
        String xml =
                """
                <throttle>
                  <throttlegroups>
                    <throttlegroup>
                      <total_iops_sec>12k</total_iops_sec>
                      <group_name>db</group_name>
                    </throttlegroup>
                  </throttlegroups>
                </throttle>
                """;

        assertThatThrownBy(() -> ThrottleConfigXml.fromMetadata(xml))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid value '12k' for total_iops_sec of throttle group 'db' in domain XML");
    }

    @Test
    void groupWithoutNameIsRejected() {
        String xml = "<throttle><throttlegroups><throttlegroup><total_iops_sec>5</total_iops_sec>"
                + "</throttlegroup></throttlegroups></throttle>";

        assertThatThrownBy(() -> ThrottleConfigXml.fromMetadata(xml))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("group_name");
    }
}
