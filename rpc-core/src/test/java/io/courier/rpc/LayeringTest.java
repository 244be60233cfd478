package io.courier.rpc;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages of rpc-core form layers, and a package imports only packages in lower layers:
 * no cycles, and nothing reaches upwards (a settings object into a strategy, the transport into
 * the proxy). Checked on the compiled classes, so fully qualified references count too.
 *
 * <p>When this fails, move the type to the layer it belongs to, or pass a resolved value down
 * instead of importing the type above; add a package to a layer here only when it is new.
 */
class LayeringTest {

    private static final String ROOT = "io.courier.rpc";

    /** Lowest first; packages in one layer must not import each other. */
    private static final List<Set<String>> LAYERS = List.of(
            Set.of("<api>"),
            Set.of("internal.protocol", "internal.exceptions", "invoke", "serialization", "tls"),
            Set.of("serialization.kryo", "serialization.json", "interceptor", "registry", "auth"),
            Set.of("observation", "cluster"),
            Set.of("config"),
            Set.of("internal.dispatch", "internal.proxy"),
            Set.of("internal.http"),
            Set.of("internal.transport"),
            Set.of("<bootstrap>"));

    /** Types of the root package that every layer may use: the programming model and its errors. */
    private static final Set<String> API = Set.of("RpcContext", "RpcErrorCode", "RpcException", "RpcFuture",
            "RpcMethod", "InvalidOptionException");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void packagesImportOnlyLowerLayers() {
        Set<String> violations = new TreeSet<>();
        for (JavaClass source : CLASSES) {
            String from = area(source);
            for (Dependency dependency : source.getDirectDependenciesFromSelf()) {
                JavaClass target = dependency.getTargetClass().getBaseComponentType();
                if (!target.getPackageName().startsWith(ROOT)) {
                    continue;
                }
                String to = area(target);
                if (!from.equals(to) && layer(to) >= layer(from)) {
                    violations.add(from + " -> " + to + ": " + dependency.getDescription());
                }
            }
        }
        assertThat(violations).as("imports that are not strictly downwards").isEmpty();
    }

    @Test
    void everyPackageHasALayer() {
        Set<String> unplaced = new TreeSet<>();
        for (JavaClass c : CLASSES) {
            String area = area(c);
            if (LAYERS.stream().noneMatch(l -> l.contains(area))) {
                unplaced.add(area);
            }
        }
        assertThat(unplaced).as("packages missing from LAYERS").isEmpty();
    }

    private static String area(JavaClass c) {
        String pkg = c.getPackageName();
        if (pkg.equals(ROOT)) {
            String topLevel = c.getName().substring(ROOT.length() + 1).split("\\$")[0];
            return API.contains(topLevel) ? "<api>" : "<bootstrap>";
        }
        return pkg.substring(ROOT.length() + 1);
    }

    private static int layer(String area) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(area)) {
                return i;
            }
        }
        throw new AssertionError("No layer for " + area);
    }
}
