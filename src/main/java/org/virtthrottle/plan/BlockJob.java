package org.virtthrottle.plan;

/**
 * A block job libvirt starts on one disk of a running domain, as virsh's block commands ask for it.
 * Bandwidths are in bytes per second, 0 for unlimited; {@code base} and {@code top} are null for
 * libvirt's defaults (the bottom of the chain, the active layer).
 */
public sealed interface BlockJob {
    /** The disk the job runs on (target or source path, as libvirt takes it). */
    String disk();

    /** Whether the job ends in a mirroring phase that must be pivoted, finished or aborted. */
    boolean mirrors();

    /**
     * Whether QEMU takes the job's device only as a root node (commit and mirror do, through
     * {@code qmp_get_root_bs()}): then filters above libvirt's node must be lifted for the start.
     */
    boolean needsRootNode();

    /** What virsh names this kind of job in its progress lines (Block Commit, Block Copy, Block Pull). */
    String label();

    /** A line a user can read in a --dry-run plan. */
    String describe();

    /** virDomainBlockCommit. */
    record Commit(
            String disk,
            String base,
            String top,
            long bandwidth,
            boolean active,
            boolean shallow,
            boolean delete,
            boolean keepRelative)
            implements BlockJob {
        @Override
        public boolean mirrors() {
            return active;
        }

        @Override
        public boolean needsRootNode() {
            return true;
        }

        @Override
        public String label() {
            return active ? "Active Block Commit" : "Block Commit";
        }

        @Override
        public String describe() {
            return "virDomainBlockCommit " + disk + " base=" + orDefault(base) + " top=" + orDefault(top)
                    + " bandwidth=" + bandwidth + flag(active, "active") + flag(shallow, "shallow")
                    + flag(delete, "delete") + flag(keepRelative, "relative");
        }
    }

    /** virDomainBlockCopy to the destination described by {@code destinationXml} (a {@code <disk>}). */
    record Copy(
            String disk,
            String destinationXml,
            long bandwidth,
            long granularity,
            long bufSize,
            boolean shallow,
            boolean reuseExternal,
            boolean transientJob,
            boolean synchronousWrites)
            implements BlockJob {
        @Override
        public boolean mirrors() {
            return true;
        }

        @Override
        public boolean needsRootNode() {
            return true;
        }

        @Override
        public String label() {
            return "Block Copy";
        }

        @Override
        public String describe() {
            return "virDomainBlockCopy " + disk + " bandwidth=" + bandwidth
                    + flag(granularity > 0, "granularity=" + granularity)
                    + flag(bufSize > 0, "buf-size=" + bufSize) + flag(shallow, "shallow")
                    + flag(reuseExternal, "reuse-external") + flag(transientJob, "transient-job")
                    + flag(synchronousWrites, "synchronous-writes") + "\n" + destinationXml.strip();
        }
    }

    /** virDomainBlockRebase without a copy: pull the backing chain down to {@code base} into the top. */
    record Pull(String disk, String base, long bandwidth, boolean keepRelative) implements BlockJob {
        @Override
        public boolean mirrors() {
            return false;
        }

        /** block-stream looks its node up without that check, and its end moves every parent, our filters too. */
        @Override
        public boolean needsRootNode() {
            return false;
        }

        @Override
        public String label() {
            return "Block Pull";
        }

        @Override
        public String describe() {
            return "virDomainBlockRebase " + disk + " base=" + orDefault(base) + " bandwidth=" + bandwidth
                    + flag(keepRelative, "relative");
        }
    }

    private static String orDefault(String value) {
        return value == null ? "(default)" : value;
    }

    private static String flag(boolean set, String name) {
        return set ? " " + name : "";
    }
}
