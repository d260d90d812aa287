package org.virtthrottle.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.libvirt.Domain;
import org.virtthrottle.VirtThrottleException;

/**
 * libvirt 11.2+'s throttle group calls, which libvirt-java does not wrap:
 * {@code virDomainSetThrottleGroup(dom, group, params, nparams, flags)} and
 * {@code virDomainDelThrottleGroup(dom, group, flags)}, bound with JNA on library "virt".
 */
final class NativeThrottleApi {
    private static final int FIELD_LENGTH = 80; // VIR_TYPED_PARAM_FIELD_LENGTH
    private static final int PARAM_SIZE = 96; // char[80], int type, 8-byte aligned union
    private static final int TYPE_ULLONG = 4;
    private static final int TYPE_STRING = 7;

    private interface Virt extends Library {
        int virDomainSetThrottleGroup(Pointer dom, String group, Pointer params, int nparams, int flags);

        int virDomainDelThrottleGroup(Pointer dom, String group, int flags);

        String virGetLastErrorMessage();

        int virGetLastErrorCode();
    }

    private static Virt virt;

    private NativeThrottleApi() {
    }

    /** Whether the client library here has the calls (libvirt >= 11.2). */
    static boolean available() {
        try {
            NativeLibrary.getInstance("virt").getFunction("virDomainSetThrottleGroup");
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    private static synchronized Virt virt() {
        if (virt == null) {
            virt = Native.load("virt", Virt.class);
        }
        return virt;
    }

    /** Sets the group with these unsigned-long-long parameters and group_name, as upstream virsh sends them. */
    static void set(Domain domain, String group, Map<String, Long> values, int flags) {
        List<Memory> strings = new ArrayList<>();
        int n = values.size() + 1;
        Memory params = new Memory((long) PARAM_SIZE * n);
        params.clear();
        int i = 0;
        for (Map.Entry<String, Long> e : values.entrySet()) {
            write(params, i++, e.getKey(), TYPE_ULLONG);
            params.setLong((long) PARAM_SIZE * (i - 1) + 88, e.getValue());
        }
        write(params, i, "group_name", TYPE_STRING);
        byte[] name = (group + "\0").getBytes(StandardCharsets.UTF_8);
        Memory s = new Memory(name.length);
        s.write(0, name, 0, name.length);
        strings.add(s);
        params.setPointer((long) PARAM_SIZE * i + 88, s);
        check(virt().virDomainSetThrottleGroup(pointer(domain), group, params, n, flags));
        strings.clear();
    }

    static void delete(Domain domain, String group, int flags) {
        check(virt().virDomainDelThrottleGroup(pointer(domain), group, flags));
    }

    private static void write(Memory params, int index, String field, int type) {
        byte[] f = field.getBytes(StandardCharsets.US_ASCII);
        if (f.length >= FIELD_LENGTH) {
            throw new IllegalArgumentException(field);
        }
        long base = (long) PARAM_SIZE * index;
        params.write(base, f, 0, f.length);
        params.setByte(base + f.length, (byte) 0);
        params.setInt(base + FIELD_LENGTH, type);
    }

    private static void check(int result) {
        if (result < 0) {
            String message = virt().virGetLastErrorMessage();
            throw new LibvirtFailure(message == null ? "unknown libvirt error" : message,
                    "code " + virt().virGetLastErrorCode(), null);
        }
    }

    /** libvirt-java keeps the virDomainPtr in a package-private field. */
    private static Pointer pointer(Domain domain) {
        try {
            Field f = Domain.class.getDeclaredField("vdp");
            f.setAccessible(true);
            return ((PointerType) f.get(domain)).getPointer();
        } catch (ReflectiveOperationException e) {
            throw new VirtThrottleException("cannot reach libvirt-java's domain pointer: " + e, e);
        }
    }
}
