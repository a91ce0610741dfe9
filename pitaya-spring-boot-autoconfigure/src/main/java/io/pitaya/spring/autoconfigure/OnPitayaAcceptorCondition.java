package io.pitaya.spring.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The condition behind {@link ConditionalOnPitayaAcceptor}. */
class OnPitayaAcceptorCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnPitayaAcceptor.class.getName());
        String name = (String) attributes.get("value");
        Environment env = context.getEnvironment();
        if (!env.getProperty("pitaya.server.frontend", Boolean.class, true)) {
            return ConditionOutcome.noMatch("pitaya.server.frontend is false: a backend accepts no clients");
        }
        if (!env.getProperty("pitaya.acceptor." + name + ".enabled", Boolean.class, true)) {
            return ConditionOutcome.noMatch("pitaya.acceptor." + name + ".enabled is false");
        }
        return ConditionOutcome.match("pitaya " + name + " acceptor enabled on a frontend");
    }
}
