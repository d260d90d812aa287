package org.virtthrottle.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;

class PrometheusTextTest {
    @Test
    void countersLimitsAndTheDiskToGroupMap() {
        Map<String, DiskCounters> disks = new LinkedHashMap<>();
        disks.put("vda", new DiskCounters(1, 512, 2, 1024));
        disks.put("vdb", new DiskCounters(30, 122880, 0, 0));
        DomainThrottleConfig config = new DomainThrottleConfig(
                List.of(
                        new ThrottleGroup("disk", ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, 100L))),
                        new ThrottleGroup("shared", ThrottleLimits.of(Map.of(LimitField.READ_BYTES_SEC, 10485760L)))),
                Map.of("vdb", FilterChain.of("disk", "shared")));

        String text = PrometheusText.render(
                List.of(new PrometheusText.Domain(new DomainCounters("web", 7, 0, disks), config)));

        assertThat(text)
                .isEqualTo(
                        """
                # HELP virt_throttle_disk_read_ops_total Read requests the disk completed (libvirt block stats rd.reqs).
                # TYPE virt_throttle_disk_read_ops_total counter
                virt_throttle_disk_read_ops_total{domain="web",disk="vda"} 1
                virt_throttle_disk_read_ops_total{domain="web",disk="vdb"} 30
                # HELP virt_throttle_disk_read_bytes_total Bytes the disk read (libvirt block stats rd.bytes).
                # TYPE virt_throttle_disk_read_bytes_total counter
                virt_throttle_disk_read_bytes_total{domain="web",disk="vda"} 512
                virt_throttle_disk_read_bytes_total{domain="web",disk="vdb"} 122880
                # HELP virt_throttle_disk_write_ops_total Write requests the disk completed (libvirt block stats wr.reqs).
                # TYPE virt_throttle_disk_write_ops_total counter
                virt_throttle_disk_write_ops_total{domain="web",disk="vda"} 2
                virt_throttle_disk_write_ops_total{domain="web",disk="vdb"} 0
                # HELP virt_throttle_disk_write_bytes_total Bytes the disk wrote (libvirt block stats wr.bytes).
                # TYPE virt_throttle_disk_write_bytes_total counter
                virt_throttle_disk_write_bytes_total{domain="web",disk="vda"} 1024
                virt_throttle_disk_write_bytes_total{domain="web",disk="vdb"} 0
                # HELP virt_throttle_group_limit A throttle group's non-zero limit: bytes/s, IOPS, bytes, or seconds \
                (*_max_length), as the limit label (libvirt's name) says.
                # TYPE virt_throttle_group_limit gauge
                virt_throttle_group_limit{domain="web",group="disk",limit="total_iops_sec"} 100
                virt_throttle_group_limit{domain="web",group="shared",limit="read_bytes_sec"} 10485760
                # HELP virt_throttle_disk_group_info The disk's I/O goes through the group's throttle filter; \
                position 0 is nearest the image.
                # TYPE virt_throttle_disk_group_info gauge
                virt_throttle_disk_group_info{domain="web",disk="vdb",group="disk",position="0"} 1
                virt_throttle_disk_group_info{domain="web",disk="vdb",group="shared",position="1"} 1
                """);
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(PrometheusText.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }
}
