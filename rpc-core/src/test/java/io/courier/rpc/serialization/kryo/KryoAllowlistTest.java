package io.courier.rpc.serialization.kryo;

import io.courier.rpc.serialization.SerializationException;
import io.courier.rpc.serialization.fixtures.AccountService;
import io.courier.rpc.serialization.fixtures.Address;
import io.courier.rpc.serialization.fixtures.Money;
import io.courier.rpc.serialization.fixtures.Page;
import io.courier.rpc.serialization.fixtures.Query;
import io.courier.rpc.serialization.fixtures.Role;
import io.courier.rpc.serialization.fixtures.Shape;
import io.courier.rpc.serialization.fixtures.ToStringBomb;
import io.courier.rpc.serialization.fixtures.TreeNode;
import io.courier.rpc.serialization.fixtures.TreeService;
import io.courier.rpc.serialization.fixtures.TypeRef;
import io.courier.rpc.serialization.fixtures.User;
import io.courier.rpc.serialization.fixtures.UserNotFoundException;
import io.courier.rpc.serialization.fixtures.UserService;
import io.courier.rpc.serialization.fixtures.hostile.Gadget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.courier.rpc.serialization.kryo.KryoTestSupport.fixtures;
import static io.courier.rpc.serialization.kryo.KryoTestSupport.read;
import static io.courier.rpc.serialization.kryo.KryoTestSupport.roundTrip;
import static io.courier.rpc.serialization.kryo.KryoTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KryoAllowlistTest {

    private static final String GADGET = Gadget.class.getName();

    @Test
    void refusesAClassOutsideTheAllowlistBeforeCreatingItAndStaysUsable() {
        KryoSerializer writer = KryoSerializer.ofDefaults();
        KryoSerializer reader = fixtures();
        byte[] body = write(writer, new Gadget("rm -rf /"), Object.class);
        int created = Gadget.CREATED.get();

        assertThatThrownBy(() -> read(reader, Object.class, body))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Class " + GADGET + " is not allowed by the Kryo allowlist; allow it with allowClasses/allowPackages");

        assertThat(Gadget.CREATED.get()).isEqualTo(created);
        assertThat(roundTrip(writer, reader, User.sample(1), User.class)).isEqualTo(User.sample(1));
        assertThat(roundTrip(writer, reader, new Page<>(List.of(User.sample(2)), 1), Object.class))
                .isEqualTo(new Page<>(List.of(User.sample(2)), 1));
    }

    @Test
    void refusesAClassNestedDeepInsideAllowedValues() {
        KryoSerializer writer = KryoSerializer.ofDefaults();
        KryoSerializer reader = fixtures();
        Map<String, Object> map = new HashMap<>();
        map.put("payload", new ArrayList<>(List.of("ok", new Gadget("x"))));
        Page<Object> page = new Page<>(List.of(User.sample(1), map), 2);

        for (Object value : List.of(map, page, new Object[] {1, new Gadget[] {new Gadget()}})) {
            assertThatThrownBy(() -> read(reader, Object.class, write(writer, value, Object.class)))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining(GADGET)
                    .hasMessageContaining("is not allowed by the Kryo allowlist");
        }
        assertThat(roundTrip(writer, reader, User.sample(3), Object.class)).isEqualTo(User.sample(3));
    }

    @Test
    void defaultsAllowJdkValueTypesButNotApplicationOrCourierTestTypes() {
        KryoSerializer serializer = KryoSerializer.ofDefaults();

        assertThat(serializer.isAllowed("java.lang.String")).isTrue();
        assertThat(serializer.isAllowed("java.util.ArrayList")).isTrue();
        assertThat(serializer.isAllowed(List.of(1, 2, 3).getClass().getName())).isTrue();
        assertThat(serializer.isAllowed("java.time.ZonedDateTime")).isTrue();
        assertThat(serializer.isAllowed("io.courier.rpc.RpcException")).isTrue();
        assertThat(serializer.isAllowed("[[I")).isTrue();
        assertThat(serializer.isAllowed("[Ljava.lang.String;")).isTrue();

        assertThat(serializer.isAllowed(User.class.getName())).isFalse();
        assertThat(serializer.isAllowed("io.courier.rpc.RpcServer")).isFalse();
        assertThat(serializer.isAllowed("java.time.chrono.HijrahDate")).isFalse();
        assertThat(serializer.isAllowed("java.util.PriorityQueue")).isFalse();
        assertThat(serializer.isAllowed("javax.management.BadAttributeValueExpException")).isFalse();
        assertThat(serializer.isAllowed("[Lcom.evil.Gadget;")).isFalse();
        assertThat(serializer.isAllowed("[L;")).isFalse();
        assertThat(serializer.isAllowed("Gadget")).isFalse();
    }

    @Test
    void packagePatternsAllowOnePackageOrATree() {
        KryoSerializer onePackage = KryoSerializer.builder().allowPackages(KryoTestSupport.FIXTURES).build();
        KryoSerializer tree = KryoSerializer.builder().allowPackages("io.courier.rpc.serialization.**").build();

        assertThat(onePackage.isAllowed(User.class.getName())).isTrue();
        assertThat(onePackage.isAllowed(Shape.Circle.class.getName())).isTrue();
        assertThat(onePackage.isAllowed(GADGET)).isFalse();
        assertThat(onePackage.isAllowed("io.courier.rpc.serialization.fixturesX.User")).isFalse();
        assertThat(tree.isAllowed(GADGET)).isTrue();
        assertThat(tree.isAllowed("io.courier.rpc.serialization.Thing")).isTrue();
        assertThat(tree.isAllowed("io.courier.rpc.serializationX.Thing")).isFalse();
        assertThat(tree.isAllowed("io.courier.rpc.Thing")).isFalse();
    }

    @Test
    void exactClassesByClassOrName() {
        KryoSerializer byClass = KryoSerializer.builder().allowClasses(Gadget[].class, int.class).build();
        KryoSerializer byName = KryoSerializer.builder().allowClassNames(GADGET).build();

        assertThat(byClass.isAllowed(GADGET)).isTrue();
        assertThat(byName.isAllowed(GADGET)).isTrue();
        assertThat(byName.isAllowed("[L" + GADGET + ";")).isTrue();
        assertThat(byName.isAllowed(User.class.getName())).isFalse();
        assertThat(roundTrip(KryoSerializer.ofDefaults(), byName, new Gadget("allowed"), Object.class))
                .isInstanceOf(Gadget.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"com.acme", "*", "**", ".*", "com..acme.*", "com.acme.***", "com.acme.*.dto", "com.acme.**.x",
            "com.acme. *", "1com.acme.*", ""})
    void rejectsMalformedPackagePatternsAtBuildTime(String pattern) {
        assertThatThrownBy(() -> KryoSerializer.builder().allowPackages(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("allowPackages: '" + pattern + "' (expected: ");
    }

    @Test
    void rejectsOtherBadBuilderValues() {
        assertThatThrownBy(() -> KryoSerializer.builder().allowClassNames("not a class"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("allowClassNames: 'not a class'");
        assertThatThrownBy(() -> KryoSerializer.builder().allowPackages((String) null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KryoSerializer.builder().maxDepth(0))
                .hasMessage("maxDepth: 0 (expected: > 0)");
        assertThatThrownBy(() -> KryoSerializer.builder().poolCapacity(-1))
                .hasMessage("poolCapacity: -1 (expected: > 0)");
        assertThat(KryoSerializer.builder().allowPackages("com.acme.dto.*", "com.acme.**", "_x.$y.*").build())
                .isNotNull();
    }

    @Test
    void allowTypesOfDiscoversEverythingAServiceSignatureReaches() {
        KryoSerializer serializer = KryoSerializer.ofDefaults();
        assertThat(serializer.isAllowed(User.class.getName())).isFalse();

        serializer.allowTypesOf(UserService.class);

        for (Class<?> type : List.of(Page.class, User.class, Query.class, UserNotFoundException.class, Address.class,
                Role.class, Money.class, Shape.Circle.class, Shape.Square.class, Shape.Label.class)) {
            assertThat(serializer.isAllowed(type.getName())).as(type.getName()).isTrue();
        }
        assertThat(serializer.isAllowed(Shape.class.getName())).isFalse();
        assertThat(serializer.isAllowed(CompletableFuture.class.getName())).isFalse();
        assertThat(serializer.isAllowed(GADGET)).isFalse();
        assertThat(serializer.isAllowed(ToStringBomb.class.getName())).isFalse();
    }

    @Test
    void typesAllowedAtRuntimeTravelByNameBetweenIndependentPeers() {
        KryoSerializer provider = KryoSerializer.ofDefaults();
        KryoSerializer consumer = KryoSerializer.ofDefaults();
        Page<User> page = new Page<>(List.of(User.sample(1), User.sample(2)), 2);
        byte[] body = write(provider, page, new TypeRef<CompletableFuture<Object>>() { }.type());

        assertThatThrownBy(() -> read(consumer, Object.class, body)).isInstanceOf(SerializationException.class);

        consumer.allowTypesOf(UserService.class);
        assertThat(read(consumer, Object.class, body)).isEqualTo(page);
        assertThat(read(consumer, new TypeRef<CompletableFuture<Page<User>>>() { }.type(), body)).isEqualTo(page);
    }

    @Test
    void allowTypesOfTerminatesOnRecursiveTypesAndBounds() {
        KryoSerializer serializer = KryoSerializer.ofDefaults();

        serializer.allowTypesOf(TreeService.class);

        assertThat(serializer.isAllowed(TreeNode.class.getName())).isTrue();
        assertThat(serializer.isAllowed("[L" + TreeNode.class.getName() + ";")).isTrue();
        assertThat(serializer.isAllowed(io.courier.rpc.serialization.fixtures.QuotaExceededException.class.getName())).isTrue();
        assertThat(serializer.isAllowed(io.courier.rpc.serialization.fixtures.BusinessException.class.getName())).isFalse();
        TreeNode tree = new TreeNode("root", List.of(new TreeNode("leaf", List.of())));
        assertThat(roundTrip(KryoSerializer.ofDefaults(), serializer, tree, Object.class)).isEqualTo(tree);
    }

    @Test
    void allowTypesOfResolvesGenericSuperinterfaces() {
        KryoSerializer serializer = KryoSerializer.ofDefaults();

        serializer.allowTypesOf(AccountService.class);

        assertThat(serializer.isAllowed(Money.class.getName())).isTrue();
        assertThat(serializer.isAllowed(Query.class.getName())).isTrue();
    }

    @Test
    void allowTypesOfRequiresAnInterface() {
        assertThatThrownBy(() -> KryoSerializer.ofDefaults().allowTypesOf(User.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("serviceInterface: " + User.class.getName() + " (expected: an interface)");
    }

    @Test
    void enumConstantsWithBodiesTravelAsTheirEnum() {
        KryoSerializer reader = KryoSerializer.builder().allowClasses(Role.class).build();

        assertThat(roundTrip(KryoSerializer.ofDefaults(), reader, Role.USER, Object.class)).isSameAs(Role.USER);
        assertThat(roundTrip(KryoSerializer.ofDefaults(), reader, List.of(Role.USER, Role.ADMIN), Object.class))
                .isEqualTo(List.of(Role.USER, Role.ADMIN));
    }

    @Test
    void errorMessagesNameClassesAndNeverRenderDecodedValues() {
        KryoSerializer serializer = fixtures();
        byte[] body = write(serializer, new ToStringBomb("secret"), Object.class);

        assertThatThrownBy(() -> read(serializer, Integer.class, body))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Return value holds a " + ToStringBomb.class.getName() + " but java.lang.Integer is declared");
        assertThatThrownBy(() -> read(KryoSerializer.ofDefaults(), Object.class, body))
                .isInstanceOf(SerializationException.class)
                .hasMessageNotContaining("secret");
    }
}
