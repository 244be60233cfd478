package io.courier.rpc.spring.boot.autoconfigure;

import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asserts what a user sees when the binder refuses a {@code courier.rpc.*} value: the failure
 * analysis Spring Boot prints instead of a stack trace, computed by the analyzers
 * {@code SpringApplication} uses (the context runner does not run them).
 */
final class BindFailures {

    private BindFailures() {
    }

    /**
     * Asserts that startup fails binding {@code property} to {@code value}, and that the report
     * names the property and the value and lists every constant of {@code type} as valid. The
     * binder names a property in its canonical form: a simple-name map key in lower case
     * ({@code courier.rpc.services.echoservice.cluster}).
     */
    static void assertBindFailsWith(ApplicationContextRunner runner, String property, String value,
            Class<? extends Enum<?>> type) {
        runner.run(context -> {
            assertThat(context).hasFailed();
            BindException bind = find(context.getStartupFailure(), BindException.class);
            assertThat(bind.getProperty().getName()).hasToString(property);
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Property: " + property)
                    .contains("Value: \"" + value + "\"")
                    .contains("failed to convert java.lang.String to " + type.getName());
            assertThat(analysis.getAction()).contains("The following values are valid:")
                    .contains(Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
        });
    }

    /**
     * Returns the report of the first analyzer that recognises the failure, as SpringApplication
     * does; like it, skips analyzers whose classes are missing (e.g. those of Spring MVC).
     */
    static FailureAnalysis analyze(Throwable failure) {
        ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
                .and(Environment.class, new StandardEnvironment());
        for (FailureAnalyzer analyzer : SpringFactoriesLoader.forDefaultResourceLocation(BindFailures.class.getClassLoader())
                .load(FailureAnalyzer.class, arguments, FailureHandler.logging(LogFactory.getLog(BindFailures.class)))) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return analysis;
            }
        }
        throw new AssertionError("No failure analyzer recognises " + failure, failure);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("No " + type.getSimpleName() + " in the causes of " + failure, failure);
    }
}
