package io.pitaya.spring.internal.component;

import java.util.List;
import java.util.Map;

import io.pitaya.spring.component.ComponentLifecycle;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.component.PitayaRemote;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds {@link PitayaComponent} and {@link PitayaRemote} beans once all singletons exist, registers
 * their methods, then calls {@link ComponentLifecycle#init()} on those that implement it.
 */
public class ComponentRegistrar implements SmartInitializingSingleton {

    private static final Log logger = LogFactory.getLog(ComponentRegistrar.class);

    private final ListableBeanFactory beanFactory;
    private final HandlerRegistry handlers;
    private final RemoteRegistry remotes;

    /**
     * @param beanFactory where to find the beans
     * @param handlers filled with the components' handlers
     * @param remotes filled with the remotes' methods
     */
    public ComponentRegistrar(ListableBeanFactory beanFactory, HandlerRegistry handlers, RemoteRegistry remotes) {
        this.beanFactory = beanFactory;
        this.handlers = handlers;
        this.remotes = remotes;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Map<String, Object> components = beanFactory.getBeansWithAnnotation(PitayaComponent.class);
        Map<String, Object> remoteBeans = beanFactory.getBeansWithAnnotation(PitayaRemote.class);
        components.values().forEach(bean -> handlers.register(name(bean, PitayaComponent.class), bean));
        remoteBeans.values().forEach(bean -> remotes.register(name(bean, PitayaRemote.class), bean));
        if (logger.isInfoEnabled()) {
            logger.info("pitaya handlers: " + handlers.all().stream().map(HandlerMethod::name).toList()
                    + ", remotes: " + remotes.all().stream().map(HandlerMethod::name).toList());
        }
        lifecycleBeans().forEach(ComponentLifecycle::init);
    }

    /** @return the components and remotes that implement {@link ComponentLifecycle} */
    public List<ComponentLifecycle> lifecycleBeans() {
        return java.util.stream.Stream.concat(
                        beanFactory.getBeansWithAnnotation(PitayaComponent.class).values().stream(),
                        beanFactory.getBeansWithAnnotation(PitayaRemote.class).values().stream())
                .filter(ComponentLifecycle.class::isInstance)
                .map(ComponentLifecycle.class::cast)
                .distinct()
                .toList();
    }

    /** The annotation's name, its ${...} placeholders resolved against the environment. */
    private String name(Object bean, Class<? extends java.lang.annotation.Annotation> type) {
        Map<String, Object> attributes = AnnotatedElementUtils.getMergedAnnotationAttributes(AopUtils.getTargetClass(bean), type);
        String name = attributes == null ? "" : (String) attributes.get("value");
        if (name != null && name.contains("${") && beanFactory instanceof org.springframework.beans.factory.config.ConfigurableBeanFactory configurable) {
            name = configurable.resolveEmbeddedValue(name);
        }
        return name == null ? "" : name;
    }
}
