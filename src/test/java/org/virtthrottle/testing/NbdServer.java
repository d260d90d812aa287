package org.virtthrottle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A real qemu-nbd serving a fresh qcow2 image (16 MiB) as one export, until {@link #close()}. */
public final class NbdServer implements AutoCloseable {
    private final Process process;

    private NbdServer(Process process) {
        this.process = process;
    }

    /**
     * Serves a fresh image named {@code imageName} as export {@code export} with the given listening
     * options (e.g. {@code --socket=PATH}); returns once {@code listening} holds, within 10 s.
     */
    public static NbdServer serve(String imageName, String export, List<String> listen, BooleanSupplier listening) {
        Path image = TestHost.createImage(imageName, "qcow2", "16M");
        List<String> command = new ArrayList<>(
                List.of("qemu-nbd", "--format=qcow2", "--persistent", "--shared=4", "--export-name=" + export));
        command.addAll(listen);
        command.add(image.toString());
        NbdServer server;
        try {
            server = new NbdServer(new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(TestHost.imageDir().resolve(export + ".log").toFile())
                    .start());
        } catch (IOException e) {
            throw new AssertionError(command + " could not start", e);
        }
        for (int i = 0; !listening.getAsBoolean(); i++) {
            if (i == 200) {
                server.close();
                throw new AssertionError("qemu-nbd does not listen within 10 s: " + command);
            }
            TestHost.sleep(50);
        }
        return server;
    }

    /** Serves export {@code export} on the UNIX socket {@code socket}. */
    public static NbdServer onSocket(String imageName, String export, Path socket) {
        return serve(imageName, export, List.of("--socket=" + socket), () -> Files.exists(socket));
    }

    /** Stops qemu-nbd and waits for its end. */
    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
