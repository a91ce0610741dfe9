package io.pitaya.spring.it;

import io.pitaya.protocol.proto.PitayaProto.KickAnswer;
import io.pitaya.protocol.proto.PitayaProto.KickMsg;
import io.pitaya.spring.component.PitayaRemote;

/** A remote that shares its name with a component, as pitaya's cluster example does. */
@PitayaRemote("echo")
public class EchoRemote {

    public KickAnswer ping(KickMsg message) {
        return KickAnswer.newBuilder().setKicked(!message.getUserId().isEmpty()).build();
    }
}
