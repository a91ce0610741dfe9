package io.pitaya.spring.internal.component;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.pitaya.spring.component.ComponentLifecycle;
import io.pitaya.spring.component.NamingStrategy;
import io.pitaya.spring.component.PitayaMethod;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Methods callable by route, built from beans at start-up and read-only afterwards.
 *
 * <p>A public method declared by the component's own class is registered when its signature fits: at most an
 * optional session (handlers only) followed by at most one payload (pitaya's rule). Methods of Object, of
 * {@link ComponentLifecycle} and of JDK or Spring types (e.g. {@code setApplicationContext}) are never routes, nor
 * are methods inherited from a superclass or an interface unless annotated with {@link PitayaMethod}: a base class's
 * public helpers are not exposed by accident. In strict mode only methods annotated with {@link PitayaMethod} are
 * routes.
 */
public abstract class MethodRegistry {

    private final Map<String, HandlerMethod> methods = new TreeMap<>();
    private final NamingStrategy naming;
    private final Class<?> sessionType;
    private final boolean strict;

    /**
     * @param naming how Java names become route names
     * @param sessionType the type of an optional first parameter, or {@code null} when none is allowed
     * @param strict whether only methods annotated with {@link PitayaMethod} are routes
     */
    protected MethodRegistry(NamingStrategy naming, @Nullable Class<?> sessionType, boolean strict) {
        this.naming = naming;
        this.sessionType = sessionType;
        this.strict = strict;
    }

    /**
     * Registers every fitting public method of a bean.
     * @param componentName the component name in routes, or empty for the decapitalised class name
     * @param bean the bean
     * @throws BeanInitializationException when an annotated method does not fit or two methods share a route
     */
    public void register(String componentName, Object bean) {
        Class<?> type = AopUtils.getTargetClass(bean);
        String component = StringUtils.hasText(componentName)
                ? componentName
                : naming.apply(StringUtils.uncapitalize(ClassUtils.getUserClass(type).getSimpleName()));
        Class<?> own = ClassUtils.getUserClass(type);
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
            PitayaMethod annotation = AnnotatedElementUtils.findMergedAnnotation(method, PitayaMethod.class);
            if (annotation == null && (strict || !Modifier.isPublic(method.getModifiers()) || isFrameworkMethod(type, method)
                    || method.getDeclaringClass() != own)) {
                continue;
            }
            String problem = misfit(method);
            if (problem != null) {
                if (annotation != null) {
                    throw new BeanInitializationException("@PitayaMethod " + ClassUtils.getQualifiedMethodName(method, type)
                            + " cannot be a route: " + problem);
                }
                continue;
            }
            String methodName = annotation != null && !annotation.value().isEmpty() ? annotation.value() : naming.apply(method.getName());
            add(new HandlerMethod(component + "." + methodName, bean, AopUtils.selectInvocableMethod(method, bean.getClass()),
                    takesSession(method), payloadType(method), method.getReturnType() != void.class));
        }
    }

    /**
     * @param name {@code component.method}
     * @return the method, or {@code null}
     */
    public @Nullable HandlerMethod find(String name) {
        return methods.get(name);
    }

    /** @return every registered method, sorted by name */
    public Collection<HandlerMethod> all() {
        return methods.values();
    }

    private void add(HandlerMethod handler) {
        HandlerMethod previous = methods.putIfAbsent(handler.name(), handler);
        if (previous != null) {
            throw new BeanInitializationException("route " + handler.name() + " is mapped twice: " + previous.method()
                    + " and " + handler.method() + "; rename one or name it with @PitayaMethod");
        }
    }

    private String misfit(Method method) {
        if (Modifier.isStatic(method.getModifiers())) {
            return "it is static";
        }
        if (!Modifier.isPublic(method.getModifiers())) {
            return "it is not public";
        }
        Class<?>[] params = method.getParameterTypes();
        List<String> problems = new ArrayList<>();
        if (params.length > 2) {
            problems.add("it has " + params.length + " parameters; allowed are an optional "
                    + (sessionType != null ? sessionType.getSimpleName() + " and an optional payload" : "payload"));
        } else if (params.length == 2 && (sessionType == null || params[0] != sessionType)) {
            problems.add("with two parameters the first must be " + (sessionType != null ? sessionType.getSimpleName() : "absent"));
        }
        if (sessionType != null && params.length == 2 && params[1] == sessionType) {
            problems.add("the payload cannot be a " + sessionType.getSimpleName());
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private boolean takesSession(Method method) {
        return sessionType != null && method.getParameterCount() > 0 && method.getParameterTypes()[0] == sessionType;
    }

    private Type payloadType(Method method) {
        int count = method.getParameterCount();
        int payloadIndex = takesSession(method) ? 1 : 0;
        return count > payloadIndex ? method.getGenericParameterTypes()[payloadIndex] : null;
    }

    private static boolean isFrameworkMethod(Class<?> type, Method method) {
        if (ClassUtils.hasMethod(Object.class, method.getName(), method.getParameterTypes())) {
            return true; // toString, equals, hashCode, overridden or not
        }
        for (Class<?> iface : ClassUtils.getAllInterfacesForClassAsSet(type)) {
            if ((iface == ComponentLifecycle.class || isFrameworkType(iface))
                    && ClassUtils.hasMethod(iface, method.getName(), method.getParameterTypes())) {
                return true;
            }
        }
        for (Class<?> c = type.getSuperclass(); c != null && c != Object.class; c = c.getSuperclass()) {
            if (isFrameworkType(c) && ClassUtils.hasMethod(c, method.getName(), method.getParameterTypes())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isFrameworkType(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jakarta.")
                || name.startsWith("org.springframework.");
    }
}
