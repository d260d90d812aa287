package org.virtthrottle.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleLimits;

/** The {@code return} values QEMU 7.2 gives to the reads virt-throttle makes, besides the block graph. */
final class QemuReplies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QemuReplies() {}

    /** {@code qom-list /objects} of a libvirt guest with these throttle group objects (QOM ids). */
    static String objects(String... groupIds) {
        ArrayNode list = JSON.createArrayNode();
        list.addObject().put("name", "type").put("type", "string");
        list.addObject().put("name", "pc.ram").put("type", "child<memory-backend-ram>");
        for (String id : groupIds) {
            list.addObject().put("name", id).put("type", "child<throttle-group>");
        }
        return list.toString();
    }

    /** {@code qom-get limits} of a throttle group: every member, unset burst lengths as 1. */
    static String limits(ThrottleLimits limits) {
        ObjectNode all = JSON.createObjectNode();
        for (LimitField f : LimitField.values()) {
            long value = limits.get(f);
            all.put(f.qemuName(), f.isMaxLength() && value == 0 ? 1 : value);
        }
        return all.toString();
    }

    /** {@code query-iothreads} of a guest with these IOThreads (libvirt's ids: iothread1, ...). */
    static String iothreads(String... ids) {
        ArrayNode list = JSON.createArrayNode();
        for (int i = 0; i < ids.length; i++) {
            list.addObject()
                    .put("id", ids[i])
                    .put("thread-id", 41230 + i)
                    .put("poll-max-ns", 32768)
                    .put("poll-grow", 0)
                    .put("poll-shrink", 0)
                    .put("aio-max-batch", 0);
        }
        return list.toString();
    }
}
