package org.virtthrottle.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The block job calls libvirt-java does not wrap, or not wholly: {@code virDomainBlockRebase} (what
 * virsh's blockpull calls), {@code virDomainBlockJobSetSpeed} and {@code virDomainBlockCopy}
 * (libvirt-java's fails without typed parameters), bound with JNA on library "virt" and
 * called on our own virDomainPtr (see {@link NativeThrottleApi#withDomain}).
 */
final class BlockJobApi {
    /** VIR_DOMAIN_BLOCK_REBASE_RELATIVE. */
    static final int REBASE_RELATIVE = 1 << 4;
    /** VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES. */
    static final int REBASE_BANDWIDTH_BYTES = 1 << 6;
    /** VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES. */
    static final int SPEED_BANDWIDTH_BYTES = 1;

    private interface Virt extends Library {
        int virDomainBlockRebase(Pointer dom, String disk, String base, long bandwidth, int flags);

        int virDomainBlockJobSetSpeed(Pointer dom, String disk, long bandwidth, int flags);

        int virDomainBlockCopy(
                Pointer dom,
                String disk,
                String destxml,
                NativeThrottleApi.TypedParameter[] params,
                int nparams,
                int flags);
    }

    private static Virt virt;

    private BlockJobApi() {}

    private static synchronized Virt virt() {
        if (virt == null) {
            virt = Native.load("virt", Virt.class);
        }
        return virt;
    }

    static void rebase(Pointer conn, String uuid, String disk, String base, long bandwidth, int flags) {
        NativeThrottleApi.withDomain(conn, uuid, dom -> virt().virDomainBlockRebase(dom, disk, base, bandwidth, flags));
    }

    /**
     * virDomainBlockCopy with the typed parameters virsh sends (bandwidth, granularity, buf-size),
     * each only when not 0; libvirt-java cannot send none.
     */
    static void copy(
            Pointer conn,
            String uuid,
            String disk,
            String destinationXml,
            long bandwidth,
            long granularity,
            long bufSize,
            int flags) {
        int count = (bandwidth > 0 ? 1 : 0) + (granularity > 0 ? 1 : 0) + (bufSize > 0 ? 1 : 0);
        NativeThrottleApi.TypedParameter[] params = count == 0
                ? null
                : (NativeThrottleApi.TypedParameter[]) new NativeThrottleApi.TypedParameter().toArray(count);
        int i = 0;
        if (bandwidth > 0) {
            params[i++].unsignedLong("bandwidth", bandwidth);
        }
        if (granularity > 0) {
            params[i++].unsignedInt("granularity", (int) granularity);
        }
        if (bufSize > 0) {
            params[i].unsignedLong("buf-size", bufSize);
        }
        NativeThrottleApi.withDomain(
                conn, uuid, dom -> virt().virDomainBlockCopy(dom, disk, destinationXml, params, count, flags));
    }

    static void setSpeed(Pointer conn, String uuid, String disk, long bandwidth, int flags) {
        NativeThrottleApi.withDomain(conn, uuid, dom -> virt().virDomainBlockJobSetSpeed(dom, disk, bandwidth, flags));
    }
}
