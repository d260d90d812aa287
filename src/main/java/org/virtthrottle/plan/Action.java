package org.virtthrottle.plan;

import java.util.List;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.Side;
import org.virtthrottle.qmp.QmpCommand;
import org.virtthrottle.xml.ThrottleConfigXml;

/** One change to a domain, as data: what a step does or what undoes it. */
public sealed interface Action {
    /** A line a user can read in a --dry-run plan. */
    String describe();

    /** Calls the handler's method for this kind of action. */
    void handledBy(Handler handler);

    /**
     * What carries actions out: one method per kind, so a new kind of action does not compile until
     * every handler says what it does with it.
     */
    interface Handler {
        void qmp(Qmp action);

        void sequence(Sequence action);

        void writeMetadata(WriteMetadata action);

        void writeMetadataBothSides(WriteMetadataBothSides action);

        void attachDevice(AttachDevice action);

        void detachDevice(DetachDevice action);

        void nativeSetGroup(NativeSetGroup action);

        void nativeDeleteGroup(NativeDeleteGroup action);

        void redefine(Redefine action);

        void verifyConfig(VerifyConfig action);

        void startBlockJob(StartBlockJob action);

        void abortBlockJob(AbortBlockJob action);

        void resizeDisk(ResizeDisk action);

        void deleteSnapshot(DeleteSnapshot action);
    }

    /** Send one QMP command to the running QEMU. */
    record Qmp(QmpCommand command) implements Action {
        @Override
        public void handledBy(Handler handler) {
            handler.qmp(this);
        }

        @Override
        public String describe() {
            return "qmp " + command.toJsonText();
        }
    }

    /** Several actions in order, as one step's undo (re-adding a filter in an IOThread takes five). */
    record Sequence(List<Action> actions) implements Action {
        @Override
        public void handledBy(Handler handler) {
            handler.sequence(this);
        }

        public Sequence {
            actions = List.copyOf(actions);
        }

        @Override
        public String describe() {
            return String.join("\n", actions.stream().map(Action::describe).toList());
        }
    }

    /**
     * Replace our metadata element on one side. A null config removes the element, and so does an
     * empty one in the config; live, an empty element stays, to say that nothing of ours is live.
     */
    record WriteMetadata(Side side, DomainThrottleConfig config) implements Action {
        @Override
        public void handledBy(Handler handler) {
            handler.writeMetadata(this);
        }

        public boolean removes() {
            return config == null || (config.isEmpty() && side == Side.CONFIG);
        }

        @Override
        public String describe() {
            return removes()
                    ? "metadata --" + side.label() + " --remove"
                    : "metadata --" + side.label() + "\n" + ThrottleConfigXml.toMetadata(config, true);
        }
    }

    /**
     * Replace our metadata element live and in the config with the same one, in one libvirt call: a
     * process killed between two writes would leave one side changed and the other not.
     */
    record WriteMetadataBothSides(DomainThrottleConfig config) implements Action {
        @Override
        public void handledBy(Handler handler) {
            handler.writeMetadataBothSides(this);
        }

        @Override
        public String describe() {
            return "metadata --live --config\n" + ThrottleConfigXml.toMetadata(config, true);
        }
    }

    /** Attach a device through libvirt (virDomainAttachDeviceFlags) on one side. */
    record AttachDevice(Side side, String deviceXml) implements Action {
        @Override
        public void handledBy(Handler handler) {
            handler.attachDevice(this);
        }

        @Override
        public String describe() {
            return "attach-device --" + side.label() + "\n" + deviceXml.strip();
        }
    }

    /** Detach a device through libvirt (virDomainDetachDeviceFlags) on one side. */
    record DetachDevice(Side side, String deviceXml) implements Action {
        @Override
        public void handledBy(Handler handler) {
            handler.detachDevice(this);
        }

        @Override
        public String describe() {
            return "detach-device --" + side.label() + "\n" + deviceXml.strip();
        }
    }

    /** libvirt 11.2+: virDomainSetThrottleGroup on one side, with every limit (zeros too). */
    record NativeSetGroup(Side side, String group, org.virtthrottle.model.ThrottleLimits limits) implements Action {
        @Override
        public void handledBy(Handler handler) {
            handler.nativeSetGroup(this);
        }

        @Override
        public String describe() {
            StringBuilder b = new StringBuilder("virDomainSetThrottleGroup --" + side.label() + " group_name=" + group);
            limits.nonZero()
                    .forEach((f, v) ->
                            b.append(' ').append(f.xmlName()).append('=').append(v));
            return b.toString();
        }
    }

    /** libvirt 11.2+: virDomainDelThrottleGroup on one side. */
    record NativeDeleteGroup(Side side, String group) implements Action {
        @Override
        public void handledBy(Handler handler) {
            handler.nativeDeleteGroup(this);
        }

        @Override
        public String describe() {
            return "virDomainDelThrottleGroup --" + side.label() + " group_name=" + group;
        }
    }

    /** Define the domain's persistent XML anew (virDomainDefineXML). */
    record Redefine(String domainXml) implements Action {
        @Override
        public void handledBy(Handler handler) {
            handler.redefine(this);
        }

        @Override
        public String describe() {
            return "define\n" + domainXml.strip();
        }
    }

    /** Check that the persistent config holds exactly this throttle config; fails otherwise. */
    record VerifyConfig(DomainThrottleConfig expected) implements Action {
        @Override
        public void handledBy(Handler handler) {
            handler.verifyConfig(this);
        }

        @Override
        public String describe() {
            return "verify the persistent throttle config";
        }
    }

    /** Start a block job through libvirt; it runs on in QEMU after this returns. */
    record StartBlockJob(BlockJob job) implements Action {
        @Override
        public void handledBy(Handler handler) {
            handler.startBlockJob(this);
        }

        @Override
        public String describe() {
            return job.describe();
        }
    }

    /** Cancel a disk's block job through libvirt (virDomainBlockJobAbort), waiting until QEMU has let go of it. */
    record AbortBlockJob(String disk) implements Action {
        @Override
        public void handledBy(Handler handler) {
            handler.abortBlockJob(this);
        }

        @Override
        public String describe() {
            return "virDomainBlockJobAbort " + disk;
        }
    }

    /** Resize a disk's image through libvirt (virDomainBlockResize, in bytes). */
    record ResizeDisk(String disk, long bytes) implements Action {
        @Override
        public void handledBy(Handler handler) {
            handler.resizeDisk(this);
        }

        @Override
        public String describe() {
            return "virDomainBlockResize " + disk + " " + bytes + " bytes";
        }
    }

    /**
     * Delete a domain snapshot through libvirt (virDomainSnapshotDelete) with virsh's choices: its
     * children too, only its children, or only libvirt's metadata.
     */
    record DeleteSnapshot(String snapshot, boolean children, boolean childrenOnly, boolean metadataOnly)
            implements Action {
        @Override
        public void handledBy(Handler handler) {
            handler.deleteSnapshot(this);
        }

        @Override
        public String describe() {
            return "virDomainSnapshotDelete " + snapshot + (children ? " children" : "")
                    + (childrenOnly ? " children-only" : "") + (metadataOnly ? " metadata-only" : "");
        }
    }
}
