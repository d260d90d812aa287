package org.virtthrottle.libvirt;

import java.util.function.Consumer;
import org.libvirt.LibvirtException;

/** Runs libvirt calls: logs each one for --debug and turns libvirt's exceptions into ours. */
final class LibvirtCall {
    @FunctionalInterface
    interface Body<T> {
        T run() throws LibvirtException;
    }

    private final Consumer<String> debug;

    LibvirtCall(Consumer<String> debug) {
        this.debug = debug;
    }

    <T> T run(String description, Body<T> body) {
        debug.accept("libvirt: " + description);
        try {
            return body.run();
        } catch (LibvirtException e) {
            org.libvirt.Error error = e.getError();
            String message =
                    error != null && error.getMessage() != null ? error.getMessage() : String.valueOf(e.getMessage());
            String code =
                    error != null && error.getCode() != null ? error.getCode().name() : "";
            debug.accept("libvirt: " + description + " failed: " + code + ": " + message);
            throw new LibvirtFailure(message, code, e);
        }
    }

    void run(String description, VoidBody body) {
        run(description, () -> {
            body.run();
            return null;
        });
    }

    @FunctionalInterface
    interface VoidBody {
        void run() throws LibvirtException;
    }
}
