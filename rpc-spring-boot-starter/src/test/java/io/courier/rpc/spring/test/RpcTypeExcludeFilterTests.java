package io.courier.rpc.spring.test;

import io.courier.rpc.spring.ImportRpcReferences;
import io.courier.rpc.spring.RpcReference;
import io.courier.rpc.spring.RpcService;
import io.courier.rpc.spring.test.users.ReportJob;
import io.courier.rpc.spring.test.users.UserClient;
import io.courier.rpc.spring.test.users.UserService;
import io.courier.rpc.spring.test.users.UserServiceImpl;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.core.type.classreading.SimpleMetadataReaderFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the component scan of an {@link RpcTest} keeps ({@code match} true means left out). */
class RpcTypeExcludeFilterTests {

    private final MetadataReaderFactory readers = new SimpleMetadataReaderFactory();

    @Test
    void keepsTheNamedServiceAndItsCallersOnly() throws IOException {
        RpcTypeExcludeFilter filter = new RpcTypeExcludeFilter(NamesUserService.class);

        assertThat(excludes(filter, UserServiceImpl.class)).isFalse();
        assertThat(excludes(filter, OtherService.class)).isTrue();
        assertThat(excludes(filter, UserClient.class)).isFalse();
        assertThat(excludes(filter, ConstructorCaller.class)).isFalse();
        assertThat(excludes(filter, SetterCaller.class)).isFalse();
        assertThat(excludes(filter, ImportsUsers.class)).isFalse();
        assertThat(excludes(filter, ReportJob.class)).isTrue();
    }

    @Test
    void keepsEveryServiceWhenNoneIsNamed() throws IOException {
        RpcTypeExcludeFilter filter = new RpcTypeExcludeFilter(NamesNoService.class);

        assertThat(excludes(filter, UserServiceImpl.class)).isFalse();
        assertThat(excludes(filter, OtherService.class)).isFalse();
        assertThat(excludes(filter, ReportJob.class)).isTrue();
    }

    @Test
    void filtersOfTheAnnotationAddAndRemove() throws IOException {
        RpcTypeExcludeFilter filter = new RpcTypeExcludeFilter(WithFilters.class);

        assertThat(excludes(filter, ReportJob.class)).isFalse();
        assertThat(excludes(filter, UserClient.class)).isTrue();
    }

    @Test
    void doesNothingOutsideAnRpcTest() throws IOException {
        assertThat(excludes(new RpcTypeExcludeFilter(RpcTypeExcludeFilterTests.class), ReportJob.class)).isFalse();
    }

    private boolean excludes(RpcTypeExcludeFilter filter, Class<?> type) throws IOException {
        return filter.match(readers.getMetadataReader(type.getName()), readers);
    }

    @RpcTest(services = UserServiceImpl.class)
    static class NamesUserService {
    }

    @RpcTest
    static class NamesNoService {
    }

    @RpcTest(includeFilters = @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = ReportJob.class),
            excludeFilters = @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = UserClient.class))
    static class WithFilters {
    }

    /** Another provider, left out when the test names only {@link UserServiceImpl}. */
    @RpcService
    static class OtherService implements Runnable {
        @Override
        public void run() {
        }
    }

    @Component
    static class ConstructorCaller {
        ConstructorCaller(@RpcReference UserService users) {
        }
    }

    @Component
    static class SetterCaller {
        @RpcReference
        void setUsers(UserService users) {
        }
    }

    @Configuration
    @ImportRpcReferences(UserService.class)
    static class ImportsUsers {
        List<String> unused() {
            return List.of();
        }
    }
}
