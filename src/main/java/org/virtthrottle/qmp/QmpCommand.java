package org.virtthrottle.qmp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.virtthrottle.model.ThrottleLimits;

/**
 * One QMP command, built as a JSON object (never by string concatenation). The factories name
 * the commands virt-throttle sends, after QEMU's QAPI.
 */
public record QmpCommand(String execute, ObjectNode arguments) {
    public ObjectNode toJson() {
        ObjectNode cmd = Json.NODES.objectNode();
        cmd.put("execute", execute);
        if (arguments != null) {
            cmd.set("arguments", arguments);
        }
        return cmd;
    }

    public String toJsonText() {
        return Json.write(toJson());
    }

    @Override
    public String toString() {
        return toJsonText();
    }

    private static ObjectNode args() {
        return Json.NODES.objectNode();
    }

    public static QmpCommand objectAddThrottleGroup(String qomId, ThrottleLimits limits) {
        ObjectNode a = args();
        a.put("qom-type", "throttle-group");
        a.put("id", qomId);
        a.set("limits", QemuLimits.toQemu(limits));
        return new QmpCommand("object-add", a);
    }

    /** Sets the members that change from {@code current} to {@code limits}. */
    public static QmpCommand qomSetLimits(String qomId, ThrottleLimits current, ThrottleLimits limits) {
        ObjectNode a = args();
        a.put("path", objectPath(qomId));
        a.put("property", "limits");
        a.set("value", QemuLimits.changes(current, limits));
        return new QmpCommand("qom-set", a);
    }

    public static QmpCommand qomGetLimits(String qomId) {
        ObjectNode a = args();
        a.put("path", objectPath(qomId));
        a.put("property", "limits");
        return new QmpCommand("qom-get", a);
    }

    public static QmpCommand objectDel(String qomId) {
        ObjectNode a = args();
        a.put("id", qomId);
        return new QmpCommand("object-del", a);
    }

    public static QmpCommand qomList(String path) {
        ObjectNode a = args();
        a.put("path", path);
        return new QmpCommand("qom-list", a);
    }

    /** A throttle filter node drawing from the group, over {@code file}. */
    public static QmpCommand blockdevAddThrottle(String nodeName, String groupQomId, String file) {
        return new QmpCommand("blockdev-add", throttleNode(nodeName, groupQomId, file));
    }

    /** A throttle node's options, as blockdev-add takes them and blockdev-reopen wants them whole. */
    private static ObjectNode throttleNode(String nodeName, String groupQomId, String file) {
        ObjectNode a = args();
        a.put("driver", "throttle");
        a.put("node-name", nodeName);
        a.put("throttle-group", groupQomId);
        a.put("file", file);
        return a;
    }

    /**
     * A node that reads zeroes, created in the main loop: the child a new throttle node gets first,
     * so that it is never added straight over a node that lives in an IOThread (QEMU crashes).
     */
    public static QmpCommand blockdevAddPlaceholder(String nodeName, long size) {
        ObjectNode a = args();
        a.put("driver", "null-co");
        a.put("node-name", nodeName);
        a.put("read-zeroes", true);
        if (size > 0) {
            // a throttle node keeps the size of its first child after the reopen: the guest would see it
            a.put("size", size);
        }
        return new QmpCommand("blockdev-add", a);
    }

    /** Moves a node without parents (and its children) into an IOThread, by the IOThread's QOM id. */
    public static QmpCommand blockdevSetIothread(String nodeName, String iothreadQomId) {
        ObjectNode a = args();
        a.put("node-name", nodeName);
        a.put("iothread", iothreadQomId);
        return new QmpCommand("x-blockdev-set-iothread", a);
    }

    /** Gives an existing throttle node another child; its group stays (reopen resets what it omits). */
    public static QmpCommand blockdevReopenThrottle(String nodeName, String groupQomId, String file) {
        ObjectNode a = args();
        a.putArray("options").add(throttleNode(nodeName, groupQomId, file));
        return new QmpCommand("blockdev-reopen", a);
    }

    public static QmpCommand queryIothreads() {
        return new QmpCommand("query-iothreads", null);
    }

    public static QmpCommand blockdevDel(String nodeName) {
        ObjectNode a = args();
        a.put("node-name", nodeName);
        return new QmpCommand("blockdev-del", a);
    }

    /** Points a realized guest device at another root node (QEMU >= 6.2 swaps it live). */
    public static QmpCommand qomSetDrive(String deviceQomPath, String nodeName) {
        ObjectNode a = args();
        a.put("path", deviceQomPath);
        a.put("property", "drive");
        a.put("value", nodeName);
        return new QmpCommand("qom-set", a);
    }

    /**
     * Sets a node's size: on a throttle filter, what passes an image's new size up to the guest
     * (QEMU before 10.2 does not refresh a filter when its child grows).
     */
    public static QmpCommand blockResize(String nodeName, long size) {
        ObjectNode a = args();
        a.put("node-name", nodeName);
        a.put("size", size);
        return new QmpCommand("block_resize", a);
    }

    public static QmpCommand queryBlock() {
        return new QmpCommand("query-block", null);
    }

    public static QmpCommand queryNamedBlockNodes() {
        ObjectNode a = args();
        a.put("flat", true);
        return new QmpCommand("query-named-block-nodes", a);
    }

    /** The only QMP query that shows parent/child edges of every block node. */
    public static QmpCommand queryBlockGraph() {
        return new QmpCommand("x-debug-query-block-graph", null);
    }

    private static String objectPath(String qomId) {
        return "/objects/" + qomId;
    }
}
