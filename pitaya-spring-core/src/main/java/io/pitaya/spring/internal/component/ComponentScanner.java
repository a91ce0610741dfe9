package io.pitaya.spring.internal.component;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.component.PitayaRemote;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * Registers {@link PitayaComponent} and {@link PitayaRemote} classes found in the base packages as beans
 * named after their class, unless they are beans already. Spring Boot's auto-configuration scans the
 * application's auto-configuration packages (those of {@code @SpringBootApplication}).
 */
public class ComponentScanner implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, ResourceLoaderAware {

    private final Function<BeanDefinitionRegistry, List<String>> basePackages;
    private Environment environment;
    private ResourceLoader resourceLoader;

    /** @param basePackages the packages to scan, with their sub-packages */
    public ComponentScanner(List<String> basePackages) {
        this(registry -> basePackages);
    }

    /** @param basePackages the packages to scan, with their sub-packages, told once the registry is known */
    public ComponentScanner(Function<BeanDefinitionRegistry, List<String>> basePackages) {
        this.basePackages = basePackages;
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
        List<String> packages = basePackages.apply(registry);
        if (packages.isEmpty()) {
            return;
        }
        Set<String> registeredClasses = new HashSet<>();
        for (String name : registry.getBeanDefinitionNames()) {
            String className = registry.getBeanDefinition(name).getBeanClassName();
            if (className != null) {
                registeredClasses.add(className);
            }
        }
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false, environment);
        scanner.setResourceLoader(resourceLoader);
        scanner.addIncludeFilter(new AnnotationTypeFilter(PitayaComponent.class));
        scanner.addIncludeFilter(new AnnotationTypeFilter(PitayaRemote.class));
        for (String basePackage : packages) {
            for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
                String className = candidate.getBeanClassName();
                if (className != null && registeredClasses.add(className) && !registry.containsBeanDefinition(className)) {
                    registry.registerBeanDefinition(className, candidate);
                }
            }
        }
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
    }
}
