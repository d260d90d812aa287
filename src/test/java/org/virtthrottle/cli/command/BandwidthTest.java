package org.virtthrottle.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.virtthrottle.app.UsageException;

/** --bandwidth as virsh 9.0 reads it (vshBlockJobOptionBandwidth), in bytes/s. */
class BandwidthTest {
    @Test
    void aPlainNumberIsMibPerSecondUnlessBytes() {
        assertThat(Bandwidth.bytesPerSecond("5", false)).isEqualTo(5L << 20);
        assertThat(Bandwidth.bytesPerSecond("5", true)).isEqualTo(5);
        assertThat(Bandwidth.bytesPerSecond(null, false)).isZero();
    }

    @Test
    void aNumberWithAUnitIsBytesCutToWholeMibUnlessBytes() {
        assertThat(Bandwidth.bytesPerSecond("3M", false)).isEqualTo(3L << 20);
        assertThat(Bandwidth.bytesPerSecond("512K", false))
                .as("below 1 MiB/s: unlimited, as virsh")
                .isZero();
        assertThat(Bandwidth.bytesPerSecond("1500K", false)).isEqualTo(1L << 20);
        assertThat(Bandwidth.bytesPerSecond("512K", true)).isEqualTo(512L * 1024);
        assertThat(Bandwidth.bytesPerSecond("1MB", true)).isEqualTo(1_000_000);
    }

    @Test
    void malformedValuesGetVirshsWords() {
        for (String bad : new String[] {"-1", "abc", "10Q", "99999999999999999999"}) {
            assertThatThrownBy(() -> Bandwidth.bytesPerSecond(bad, false))
                    .isInstanceOf(UsageException.class)
                    .hasMessage(
                            "Scaled numeric value '" + bad + "' for <--bandwidth> option is malformed or out of range");
        }
    }
}
