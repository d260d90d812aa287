package org.virtthrottle.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Pointer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.libvirt.Domain;

/** What the libvirt package hands libvirt, checked without a libvirt to call: the parameters as libvirt reads them (LP64: x86_64, aarch64), and the flag values. */
class NativeThrottleApiTest {

    @Test
    void aTypedParameterHasLibvirtsLayout() {
        // char field[80]; int type; 4 bytes of padding; an 8-byte union
        assertThat(new NativeThrottleApi.TypedParameter().size()).isEqualTo(96);
    }

    @Test
    void theParametersAreContiguousUnsignedLongsThenTheGroupName() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("total_bytes_sec", 10_485_760L);
        values.put("read_iops_sec_max", -1L); // an unsigned long long beyond Long.MAX_VALUE
        NativeThrottleApi.TypedParameter[] params = NativeThrottleApi.parameters("grüppe", values);
        for (NativeThrottleApi.TypedParameter p : params) {
            p.write();
        }

        assertThat(params).hasSize(3);
        Pointer base = params[0].getPointer();
        assertThat(params[2].getPointer()).isEqualTo(base.share(2 * 96));
        assertThat(base.getString(0, "US-ASCII")).isEqualTo("total_bytes_sec");
        assertThat(base.getInt(80)).isEqualTo(4); // VIR_TYPED_PARAM_ULLONG
        assertThat(base.getLong(88)).isEqualTo(10_485_760L);
        assertThat(base.getString(96, "US-ASCII")).isEqualTo("read_iops_sec_max");
        assertThat(base.getInt(96 + 80)).isEqualTo(4);
        assertThat(base.getLong(96 + 88)).isEqualTo(-1L);
        assertThat(base.getString(192, "US-ASCII")).isEqualTo("group_name");
        assertThat(base.getInt(192 + 80)).isEqualTo(7); // VIR_TYPED_PARAM_STRING
        assertThat(base.getPointer(192 + 88).getString(0, "UTF-8")).isEqualTo("grüppe");
    }

    @Test
    void aNameTooLongForTheFieldIsRefused() {
        assertThatThrownBy(() -> NativeThrottleApi.parameters("g", Map.of("x".repeat(80), 1L)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void libvirtJavasFlagsHaveLibvirtsValues() {
        assertThat(Domain.XMLFlags.INACTIVE).isEqualTo(2); // VIR_DOMAIN_XML_INACTIVE
        assertThat(Domain.MetadataType.ELEMENT).isEqualTo(2); // VIR_DOMAIN_METADATA_ELEMENT
        assertThat(Domain.ModificationImpact.CURRENT).isZero(); // VIR_DOMAIN_AFFECT_CURRENT
        assertThat(Domain.ModificationImpact.LIVE).isEqualTo(1).isEqualTo(Domain.DeviceModifyFlags.LIVE);
        assertThat(Domain.ModificationImpact.CONFIG).isEqualTo(2).isEqualTo(Domain.DeviceModifyFlags.CONFIG);
    }
}
