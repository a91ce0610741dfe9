package io.pitaya.spring.clusterit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/** Records every stopped observation of one server as "name(key=value) < parent name". */
final class RecordedObservations implements ObservationHandler<Observation.Context> {

    private final List<String> stopped = new CopyOnWriteArrayList<>();

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
