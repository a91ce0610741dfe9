package io.pitaya.spring.clusterit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * Records every stopped observation of one server as "name(key=value) < parent name". Acts as a tracing bridge's
 * propagation would, for pitaya's own calls only (not Kafka's, which carry theirs in record headers): writes a
 * "traceparent" through each {@code pitaya.rpc.client} sender context and records what each {@code pitaya.rpc.server}
 * receiver context reads back.
 */
final class RecordedObservations implements ObservationHandler<Observation.Context> {

    private static final java.util.concurrent.atomic.AtomicLong TRACES = new java.util.concurrent.atomic.AtomicLong();

    private final List<String> stopped = new CopyOnWriteArrayList<>();
    /** "route=traceparent" of each call this server made. */
    final List<String> sentTraces = new CopyOnWriteArrayList<>();
    /** "route=traceparent" of each call this server served, as read from its metadata. */
    final List<String> receivedTraces = new CopyOnWriteArrayList<>();

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void onStart(Observation.Context context) {
        String route = context.getContextualName(); // the route tag may still be a placeholder at the start
        if (context.getName().equals("pitaya.rpc.client") && context instanceof io.micrometer.observation.transport.SenderContext sender) {
            String trace = "00-" + String.format("%032x", TRACES.incrementAndGet()) + "-00f067aa0ba902b7-01";
            sender.getSetter().set(sender.getCarrier(), "traceparent", trace);
            sentTraces.add(route + "=" + trace);
        }
        if (context.getName().equals("pitaya.rpc.server") && context instanceof io.micrometer.observation.transport.ReceiverContext receiver) {
            receivedTraces.add(route + "=" + receiver.getGetter().get(receiver.getCarrier(), "traceparent"));
        }
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return true;
    }

    @Override
    public void onStop(Observation.Context context) {
        String route = context.getLowCardinalityKeyValue("route") == null ? "" : "(" + context.getLowCardinalityKeyValue("route").getValue() + ")";
        String parent = context.getParentObservation() == null ? "" : context.getParentObservation().getContextView().getName();
        stopped.add(context.getName() + route + " < " + parent);
    }

    List<String> stopped() {
        return List.copyOf(stopped);
    }
}
