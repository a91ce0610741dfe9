package io.pitaya.spring.test;

import io.pitaya.client.PitayaClient;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Resolves {@link PitayaClient} parameters (each a new client over TCP, connected) and {@link PitayaClients}
 * parameters against the application context of the test, and closes the clients after each test. Registered by
 * {@link PitayaTest}.
 */
public class PitayaClientsExtension implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PitayaClientsExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == PitayaClient.class || type == PitayaClients.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        PitayaClients clients = clients(context);
        return parameter.getParameter().getType() == PitayaClients.class ? clients : clients.tcp();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        PitayaClients clients = context.getStore(NAMESPACE).remove(PitayaClients.class, PitayaClients.class);
        if (clients != null) {
            clients.close();
        }
    }

    private static PitayaClients clients(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(PitayaClients.class,
                type -> new PitayaClients(SpringExtension.getApplicationContext(context)), PitayaClients.class);
    }
}
