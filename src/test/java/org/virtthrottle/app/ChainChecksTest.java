package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.xml.DiskInfo;

class ChainChecksTest {
    private static DiskInfo disk(String device, Integer iothread, boolean mapping) {
        return new DiskInfo("vdb", "virtio-disk1", device, "virtio", false, iothread, mapping, "<disk/>");
    }

    @Test
    void aDiskInOneIothreadCanBeThrottledLive() {
        assertThatCode(() -> ChainChecks.canBeThrottled(disk("disk", 1, false), true))
                .doesNotThrowAnyException();
    }

    @Test
    void queuesSpreadOverIothreadsAreRefusedLiveOnly() {
        assertThatThrownBy(() -> ChainChecks.canBeThrottled(disk("disk", null, true), true))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "disk vdb spreads its queues over IOThreads (<driver><iothreads>): QEMU offers no safe way to add"
                                + " a throttle filter to such a disk while it runs, so virt-throttle refuses to change its filters live");
        assertThatCode(() -> ChainChecks.canBeThrottled(disk("disk", null, true), false))
                .doesNotThrowAnyException();
    }

    @Test
    void lunsCdromsAndFloppiesAreRefusedEverywhere() {
        assertThatThrownBy(() -> ChainChecks.canBeThrottled(disk("lun", null, false), false))
                .hasMessageStartingWith("throttle filters cannot be used on lun vdb: SCSI passthrough");
        assertThatThrownBy(() -> ChainChecks.canBeThrottled(disk("cdrom", null, false), false))
                .hasMessage("throttle filters cannot be used on cdrom vdb");
        assertThatThrownBy(() -> ChainChecks.canBeThrottled(disk("floppy", null, false), false))
                .hasMessage("throttle filters cannot be used on floppy vdb");
    }
}
