package org.virtthrottle.qmp;

/** Sends one QMP command (JSON text) to a running QEMU and returns its reply (JSON text). */
@FunctionalInterface
public interface QmpTransport {
    String send(String command);
}
