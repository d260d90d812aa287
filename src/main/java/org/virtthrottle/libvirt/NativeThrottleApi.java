package org.virtthrottle.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Union;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * libvirt 11.2+'s throttle group calls, which libvirt-java does not wrap:
 * {@code virDomainSetThrottleGroup(dom, group, params, nparams, flags)} and
 * {@code virDomainDelThrottleGroup(dom, group, flags)}, bound with JNA on library "virt". The
 * virDomainPtr they take is our own: looked up by UUID on the connection's pointer, freed after.
 */
final class NativeThrottleApi {
    static final int FIELD_LENGTH = 80; // VIR_TYPED_PARAM_FIELD_LENGTH
    static final int TYPE_INT = 1; // VIR_TYPED_PARAM_INT
    static final int TYPE_UINT = 2; // VIR_TYPED_PARAM_UINT
    static final int TYPE_LLONG = 3; // VIR_TYPED_PARAM_LLONG
    static final int TYPE_ULLONG = 4; // VIR_TYPED_PARAM_ULLONG
    static final int TYPE_STRING = 7; // VIR_TYPED_PARAM_STRING

    /**
     * virTypedParameter: {@code char field[VIR_TYPED_PARAM_FIELD_LENGTH]; int type; union value}.
     * Public, with public fields: JNA creates these and reads and writes their fields by reflection.
     */
    @Structure.FieldOrder({"field", "type", "value"})
    public static final class TypedParameter extends Structure {
        public byte[] field = new byte[FIELD_LENGTH];
        public int type;
        public Value value;

        public TypedParameter() {}

        /** One libvirt filled in, read from its memory (e.g. a stats record's parameters). */
        public TypedParameter(Pointer memory) {
            super(memory);
            read();
        }

        /** The union; only the member {@link Union#setType(String)} selects is written. */
        @Structure.FieldOrder({"i", "ui", "l", "ul", "d", "b", "s"})
        public static final class Value extends Union {
            public int i;
            public int ui; // unsigned int
            public long l;
            public long ul; // unsigned long long
            public double d;
            public byte b; // char
            public Pointer s; // char *
        }

        /** Sets the name, NUL-terminated in the fixed-size array. */
        void name(String name) {
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length >= FIELD_LENGTH) {
                throw new IllegalArgumentException(name);
            }
            Arrays.fill(field, (byte) 0);
            System.arraycopy(bytes, 0, field, 0, bytes.length);
        }

        String name() {
            return Native.toString(field, StandardCharsets.US_ASCII.name());
        }

        /** The value of an integer parameter (int, uint, llong, ullong), whatever its width. */
        long integer() {
            return switch (type) {
                case TYPE_INT, TYPE_UINT -> value.i & (type == TYPE_UINT ? 0xffffffffL : -1L);
                case TYPE_LLONG, TYPE_ULLONG -> value.l;
                default -> throw new IllegalStateException(name() + " is not an integer (type " + type + ")");
            };
        }

        String string() {
            if (type != TYPE_STRING) {
                throw new IllegalStateException(name() + " is not a string (type " + type + ")");
            }
            return value.s.getString(0, StandardCharsets.UTF_8.name());
        }

        void unsignedLong(String name, long value) {
            name(name);
            type = TYPE_ULLONG;
            this.value.ul = value;
            this.value.setType("ul");
        }

        void unsignedInt(String name, int value) {
            name(name);
            type = TYPE_UINT;
            this.value.ui = value;
            this.value.setType("ui");
        }

        /** The string's memory is the caller's to keep alive until libvirt has read it. */
        void string(String name, Memory value) {
            name(name);
            type = TYPE_STRING;
            this.value.s = value;
            this.value.setType("s");
        }
    }

    private interface Virt extends Library {
        Pointer virDomainLookupByUUIDString(Pointer conn, String uuid);

        int virDomainFree(Pointer dom);

        int virDomainSetThrottleGroup(Pointer dom, String group, TypedParameter[] params, int nparams, int flags);

        int virDomainDelThrottleGroup(Pointer dom, String group, int flags);

        String virGetLastErrorMessage();

        int virGetLastErrorCode();
    }

    private static Virt virt;

    private NativeThrottleApi() {}

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

    /**
     * The unsigned-long-long parameters, then group_name, as upstream virsh sends them; each
     * parameter name must be shorter than {@link #FIELD_LENGTH}.
     */
    static TypedParameter[] parameters(String group, Map<String, Long> values) {
        TypedParameter[] params = (TypedParameter[]) new TypedParameter().toArray(values.size() + 1);
        int i = 0;
        for (Map.Entry<String, Long> e : values.entrySet()) {
            params[i++].unsignedLong(e.getKey(), e.getValue());
        }
        params[i].string("group_name", utf8(group));
        return params;
    }

    static Memory utf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(bytes.length + 1L);
        m.write(0, bytes, 0, bytes.length);
        m.setByte(bytes.length, (byte) 0);
        return m;
    }

    /** Sets the group on the domain with this UUID, over the connection {@code conn}. */
    static void set(Pointer conn, String uuid, String group, Map<String, Long> values, int flags) {
        TypedParameter[] params = parameters(group, values);
        withDomain(conn, uuid, dom -> virt().virDomainSetThrottleGroup(dom, group, params, params.length, flags));
        // the group name's memory hangs off the last parameter: alive until libvirt is done with it
        Reference.reachabilityFence(params);
    }

    static void delete(Pointer conn, String uuid, String group, int flags) {
        withDomain(conn, uuid, dom -> virt().virDomainDelThrottleGroup(dom, group, flags));
    }

    interface DomainCall {
        int run(Pointer dom);
    }

    /** Our own virDomainPtr for the domain with this UUID; {@link #free} it. */
    static Pointer lookup(Pointer conn, String uuid) {
        Pointer dom = virt().virDomainLookupByUUIDString(conn, uuid);
        if (dom == null) {
            throw failure();
        }
        return dom;
    }

    static void free(Pointer dom) {
        virt().virDomainFree(dom);
    }

    static void withDomain(Pointer conn, String uuid, DomainCall call) {
        Pointer dom = lookup(conn, uuid);
        try {
            if (call.run(dom) < 0) {
                throw failure();
            }
        } finally {
            virt().virDomainFree(dom);
        }
    }

    /** libvirt's error for the last call on this thread (read before any other libvirt call). */
    static LibvirtFailure failure() {
        String message = virt().virGetLastErrorMessage();
        return new LibvirtFailure(
                message == null ? "unknown libvirt error" : message, "code " + virt().virGetLastErrorCode(), null);
    }
}
