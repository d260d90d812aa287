package org.virtthrottle.app;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.Side;
import org.virtthrottle.plan.Action;
import org.virtthrottle.qmp.QmpClient;
import org.virtthrottle.xml.DomainXml;
import org.virtthrottle.xml.ThrottleConfigXml;

/**
 * Carries out plan actions against one domain: QMP through the session's client, everything else
 * through libvirt. Each action makes the session forget what it had cached of the side it changed.
 */
final class DomainActions implements ActionExecutor, Action.Handler {
    private final Domain domain;
    private final QmpClient qmp;
    private final DomainSession session;

    DomainActions(Domain domain, QmpClient qmp, DomainSession session) {
        this.domain = domain;
        this.qmp = qmp;
        this.session = session;
    }

    @Override
    public void execute(Action action) {
        action.handledBy(this);
    }

    @Override
    public void qmp(Action.Qmp action) {
        session.forgetLiveGroups();
        qmp.execute(action.command());
    }

    @Override
    public void sequence(Action.Sequence action) {
        action.actions().forEach(this::execute);
    }

    @Override
    public void writeMetadata(Action.WriteMetadata action) {
        session.forget(action.side());
        domain.setThrottleMetadata(
                action.side(), action.removes() ? null : ThrottleConfigXml.toMetadata(action.config()));
    }

    @Override
    public void writeMetadataBothSides(Action.WriteMetadataBothSides action) {
        session.forget(Side.LIVE);
        session.forget(Side.CONFIG);
        domain.setThrottleMetadataBothSides(ThrottleConfigXml.toMetadata(action.config()));
    }

    @Override
    public void attachDevice(Action.AttachDevice action) {
        session.forget(action.side());
        domain.attachDevice(action.side(), action.deviceXml());
    }

    @Override
    public void detachDevice(Action.DetachDevice action) {
        session.forget(action.side());
        domain.detachDevice(action.side(), action.deviceXml());
    }

    @Override
    public void nativeSetGroup(Action.NativeSetGroup action) {
        session.forget(action.side());
        // virDomainSetThrottleGroup replaces the group: every limit goes, zeros too
        Map<String, Long> params = new LinkedHashMap<>();
        for (LimitField f : LimitField.values()) {
            params.put(f.xmlName(), action.limits().get(f));
        }
        domain.setThrottleGroup(action.group(), params, EnumSet.of(action.side()));
    }

    @Override
    public void nativeDeleteGroup(Action.NativeDeleteGroup action) {
        session.forget(action.side());
        domain.deleteThrottleGroup(action.group(), EnumSet.of(action.side()));
    }

    @Override
    public void redefine(Action.Redefine action) {
        session.forget(Side.CONFIG);
        domain.redefine(action.domainXml());
    }

    @Override
    public void verifyConfig(Action.VerifyConfig action) {
        session.forget(Side.CONFIG);
        DomainXml now = session.xml(Side.CONFIG);
        if (!now.nativeThrottleConfig().equals(action.expected()) || now.hasPreNativeMetadata()) {
            throw new VirtThrottleException("the persistent config does not hold the migrated throttle config: "
                    + now.nativeThrottleConfig() + " instead of " + action.expected());
        }
    }

    @Override
    public void startBlockJob(Action.StartBlockJob action) {
        session.forget(Side.LIVE);
        domain.startBlockJob(action.job());
    }

    @Override
    public void abortBlockJob(Action.AbortBlockJob action) {
        session.forget(Side.LIVE);
        domain.abortBlockJob(action.disk(), false, false);
    }

    @Override
    public void resizeDisk(Action.ResizeDisk action) {
        session.forget(Side.LIVE);
        domain.resizeDisk(action.disk(), action.bytes());
    }

    @Override
    public void deleteSnapshot(Action.DeleteSnapshot action) {
        session.forget(Side.LIVE);
        session.forget(Side.CONFIG);
        domain.deleteSnapshot(action);
    }
}
